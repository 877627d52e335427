#ifndef CFastCGI_SHIM_H
#define CFastCGI_SHIM_H
/* The FastCGI application library (libfcgi): the responder's record parsing and writing.
   Its variadic FCGX_FPrintF is not used: Swift writes with FCGX_PutStr. */
#include <fcgiapp.h>

#endif

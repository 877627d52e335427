#ifndef CFastCGI_SHIM_H
#define CFastCGI_SHIM_H
#include <fcgiapp.h>
#include "process.h"

/* libfcgi's variadic FCGX_FPrintF is not used: Swift writes with FCGX_PutStr. Nothing else in
   fcgiapp.h needs a wrapper; process.h holds what the supervisor cannot do safely in Swift. */

#endif

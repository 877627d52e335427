#ifndef CFastCGI_SHIM_H
#define CFastCGI_SHIM_H
#include <fcgiapp.h>

#endif

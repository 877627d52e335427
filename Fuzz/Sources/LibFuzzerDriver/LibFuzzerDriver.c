// Declarations only (see include/LibFuzzerDriver.h); the driver is in libclang_rt.fuzzer,
// linked by -sanitize=fuzzer.
#include "LibFuzzerDriver.h"

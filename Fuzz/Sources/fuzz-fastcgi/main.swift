import LibFuzzerDriver

// SwiftPM links `main` to this file's code, so libFuzzer is entered through its driver with
// the entry point `fuzz` (also exported as `LLVMFuzzerTestOneInput`).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
_ = LLVMFuzzerRunDriver(&argc, &argv, fuzz)

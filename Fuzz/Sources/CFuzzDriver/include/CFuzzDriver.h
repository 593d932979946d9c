#ifndef REGUA_CFUZZDRIVER_H
#define REGUA_CFUZZDRIVER_H

/// Runs libFuzzer's driver on the target's LLVMFuzzerTestOneInput with the program's arguments.
///
/// SwiftPM links every executable with `main` renamed to `<Target>_main`, so libFuzzer's own
/// `main` is not the entry point; each target's `<Target>_main` calls this instead.
int regua_fuzz_main(int argc, char **argv);

#endif

#include "CFuzzDriver.h"
#include <stddef.h>
#include <stdint.h>

// Both from libFuzzer (linked by -sanitize=fuzzer) and the Swift target (@_cdecl).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int regua_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

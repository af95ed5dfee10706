// SwiftPM links an executable target with `--defsym main=<Target>_main`, so libFuzzer's own `main` is never
// used; this is that symbol, and it hands the command line to libFuzzer's driver as its `main` would.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int RecoupFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

#ifndef RECOUP_FUZZER_ENTRY_H
#define RECOUP_FUZZER_ENTRY_H
/* Nothing to import: the target only provides the program's entry point (FuzzerEntry.c). */
#endif

// Micro-benchmarks of the message lint and its phrase matcher. Run from Benchmarks/:
// `swift package benchmark --target MessageLintBenchmarks`.
//
// Two inputs: a typical collection letter (about 2 KB: a validation notice with the collector's identity, the
// mini-Miranda, creditor, amounts, how to dispute and how to reply, a signature) and a long text (about 100 KB: the
// same letter 52 times, as one message). For each input, one measured iteration does one of:
// - tokenize: normalise and split the text into tokens against the catalog's vocabulary, as `MessageLint.check`
//   does first;
// - phrase matcher: run every phrase set of the catalog (the forbidden-content rules, safe phrases, certainty words,
//   required- and limited-content sets) once over the already tokenized text;
// - whole lint: `MessageLint.check(text, channel: .letter)`, tokenizing, matching, negation, the character-level
//   detectors (amounts, telephones, email addresses, links) and the findings.
// The phrase matcher is internal to RecoupCore; the benchmark reaches it through `@_spi(Benchmarking)`.

import Benchmark
@_spi(Benchmarking) import RecoupCore

/// A typical letter: compliant, varied wording, about 2 KB.
let letter = """
    Harbor Recovery Services LLC
    PO Box 4417, Springfield, IL 62701
    (217) 555-0148 | www.harborrecovery.example.com

    April 14, 2026

    Dear Jordan Ellis,

    Harbor Recovery Services is a debt collector. We are trying to collect a debt that you owe to Lakeshore \
    Community Bank. We will use any information you give us to help collect the debt.

    Our information shows:
    You had a Lakeshore Platinum Visa credit card from Lakeshore Community Bank with account number ending in 4821.
    As of January 2, 2026, you owed: $2,417.90
    Between January 2, 2026 and today:
    You were charged this amount in interest: + $96.12
    You were charged this amount in fees: + $35.00
    You paid or were credited this amount toward the debt: - $250.00
    Total amount of the debt now: $2,299.02

    How can you dispute the debt?
    Call or write to us by May 24, 2026, to dispute all or part of the debt. If you do not, we will assume that our \
    information is correct. If you write to us by May 24, 2026, we must stop collection on any amount you dispute \
    until we send you information that shows you owe the debt. You may use the form below or write to us without \
    the form. You may also include supporting documents.

    What else can you do?
    Write to ask for the name and address of the original creditor, if different from the current creditor. If you \
    write by May 24, 2026, we must stop collection until we send you that information. Go to \
    www.cfpb.gov/debt-collection to learn more about your rights under federal law. Contact us about your payment \
    options; we can set up a monthly plan that fits your budget, and we will not report the account to anyone while \
    we talk.

    We accept payments online at www.harborrecovery.example.com/pay, by phone at (217) 555-0148, Monday to Friday, \
    8 a.m. to 6 p.m. Central Time, or by mail to the address above. You can also email us at \
    help@harborrecovery.example.com.

    Sincerely,
    Dana Whitfield
    Account Representative
    Harbor Recovery Services LLC
    """

/// A long message: the letter 52 times over, one after the other, about 100 KB.
let longText = Array(repeating: letter, count: 52).joined(separator: "\n\n")

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 5, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 10_000)

    let inputs = [
        ("typical letter, \(letter.utf8.count) bytes", letter),
        ("long text, \(longText.utf8.count) bytes", longText),
    ]
    for (name, text) in inputs {
        Benchmark("Message lint tokenize: \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(MessageLint.prepare(text))
            }
        }

        Benchmark("Message lint phrase matcher, every phrase set: \(name)") { benchmark in
            let prepared = MessageLint.prepare(text)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(MessageLint.matchEveryPhraseSet(in: prepared))
            }
        }

        Benchmark("Message lint check, letter channel: \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(MessageLint.check(text, channel: .letter))
            }
        }
    }
}

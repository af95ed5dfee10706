// Letters as PDF (issue 15, part 5): a one-page letter laid out and written to bytes, the work of one letter in a
// delivery batch before it reaches the disk. Run from Benchmarks/: `swift package benchmark --target LetterBenchmarks`.
//
// The letter: a sender of three lines, a recipient of three lines with Spanish letters, a heading, five paragraphs
// (about 1 KB of text, wrapped by Helvetica's widths) and an itemization of three debts with a total. The anchor is
// `MessageLint.check` on the same text, which every letter already pays when it is rendered. The issue asks for 500
// one-page letters a second, written to disk.

import Benchmark
import RecoupCore

let body = """
    Dear Señor Muñoz,

    This is a final notice from Bench Lending about your account with Bench Lending. The amount owed, $1,458.72, is \
    still unpaid. Please pay it in full, or get in touch so that we can agree a payment plan you can afford.

    How to pay or get in touch:
    - Pay online: https://pay.bench.example
    - Phone: (617) 555-0100
    - Email: billing@bench.example
    - Post: 1 Main Street, Boston, MA 02108
    - Please quote Q0000010.

    If you believe you do not owe this amount, or that any part of it is wrong, tell us and we will look into it.

    This is an attempt to collect a debt.

    Yours sincerely,
    Bench Lending
    """

func letter() -> Letter {
    var letter = Letter(
        sender: ["Bench Lending", "1 Main Street", "Boston, MA 02108"],
        recipient: ["Señor José Muñoz", "12 Calle Ñandú, Apt 4", "El Paso, TX 79901"], date: "5 December 2026",
        heading: "Re: Final notice about your account with Bench Lending", body: body)
    letter.table = Letter.Table(
        header: ["Account", "Due", "Principal", "Interest", "Fees", "Total"],
        rows: (0..<3).map { ["Q000001\($0)", "2026-10-28", "$400.00", "$36.24", "$50.00", "$486.24"] },
        total: ["Amount owed", "", "", "", "", "$1,458.72"])
    letter.tableAfter = 2
    return letter
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 5, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 20_000)

    let input = letter()
    Benchmark("Letter PDF, one page: layout and bytes") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(LetterLayout.document(input, title: "Final notice").bytes())
        }
    }

    Benchmark("Anchor: message lint check of the same letter's text") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(MessageLint.check(body, channel: .letter))
        }
    }
}

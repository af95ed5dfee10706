import Foundation
import Testing

@Suite("recoup compliance lint --language")
struct LintLanguageCommandTests {
    /// The rule ids of the findings `recoup compliance lint` printed.
    private func rules(_ output: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        return (object["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
    }

    @Test("--language es reads a Spanish threat that the default English check does not")
    func spanishThreat() async throws {
        // setup
        let recoup = try RecoupBinary()
        let threat = "Si no paga, usted irá a la cárcel y le demandaremos hoy."

        // act
        let spanish = try await recoup.run(
            ["compliance", "lint", "--channel", "sms", "--language", "es"], input: threat)
        let english = try await recoup.run(["compliance", "lint", "--channel", "sms"], input: threat)

        // verify
        #expect(spanish.status == 0)
        let spanishRules = try rules(spanish.standardOutput)
        #expect(spanishRules.contains("threat-arrest"))
        #expect(spanishRules.contains("threat-lawsuit"))
        #expect(english.status == 0)
        #expect(try !rules(english.standardOutput).contains("threat-arrest"))
    }

    @Test("a compliant Spanish text passes with --language ES, given in any case")
    func compliantSpanishText() async throws {
        let recoup = try RecoupBinary()
        let text =
            "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo de $250.00. Llame al 617-555-0199. Responda STOP para dejar de recibir mensajes."
        let file = try recoup.write(text, to: "mensaje.txt")

        let result = try await recoup.run(["compliance", "lint", file, "--channel", "sms", "--language", "ES"])

        #expect(result.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        #expect(try rules(result.standardOutput) == [])
    }

    @Test("an unknown --language is one sentence on standard error and exit status 2")
    func unknownLanguage() async throws {
        let recoup = try RecoupBinary()

        let result = try await recoup.run(
            ["compliance", "lint", "--channel", "sms", "--language", "fr"], input: "Bonjour.")

        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.standardError.contains(#"--language is "fr"; use en or es"#))
    }
}

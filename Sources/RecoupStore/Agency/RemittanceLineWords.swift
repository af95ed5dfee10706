import RecoupCore

extension RemittanceDocuments {
    /// What a statement's line is, in the words the CSV and the PDF use ("payment", "reversal after remittance",
    /// "direct payment"), for the pages and the API.
    public static func words(_ line: RemittanceLine) -> String { kindWords(line) }
}

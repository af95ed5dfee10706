/// Splits normalised UTF-16 text into tokens and sentences.
enum Tokenizer {
    /// True for white space, line breaks included.
    static func isSpace(_ unit: UInt16) -> Bool {
        unit == 0x20 || unit == 0x09 || unit == 0x0A || unit == 0x0D || unit == 0x0B || unit == 0x0C || unit == 0x2028
            || unit == 0x2029
    }

    /// True for a line break.
    private static func isLineBreak(_ unit: UInt16) -> Bool {
        unit == 0x0A || unit == 0x0D || unit == 0x2028 || unit == 0x2029
    }

    /// The scalar at `index` and how many code units it takes.
    private static func scalar(_ units: [UInt16], _ index: Int) -> (Unicode.Scalar?, Int) {
        let unit = units[index]
        if UTF16.isLeadSurrogate(unit), index + 1 < units.count, UTF16.isTrailSurrogate(units[index + 1]) {
            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(units[index + 1]) - 0xDC00)
            return (Unicode.Scalar(value), 2)
        }
        return (Unicode.Scalar(unit), 1)
    }

    /// True for a letter or digit.
    private static func isWordScalar(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// True when the scalar at `index` (if any) is a letter or digit.
    private static func isWordUnit(_ units: [UInt16], _ index: Int) -> Bool {
        index < units.count && isWordScalar(scalar(units, index).0)
    }

    /// Splits `units` into tokens (words keep inner apostrophes and hyphens; every other non-space character is a
    /// token of its own), their texts, and the token ranges of the sentences.
    static func tokenize(_ units: [UInt16], vocabulary: Vocabulary) -> ([Token], [String], [Range<Int>]) {
        var tokens: [Token] = []
        var texts: [String] = []
        tokens.reserveCapacity(units.count / 4)
        texts.reserveCapacity(units.count / 4)
        var sentences: [Range<Int>] = []
        var sentenceStart = 0
        var breakPending = false
        var lineStart = true
        var index = 0
        // Spanish: a combining accent (a decomposed "é") continues its word; the token's text drops it.
        let joinsCombiningMarks = vocabulary.foldsDiacritics

        func closeSentence() {
            if tokens.count > sentenceStart { sentences.append(sentenceStart..<tokens.count) }
            sentenceStart = tokens.count
        }

        while index < units.count {
            let unit = units[index]
            if isSpace(unit) {
                if isLineBreak(unit) { breakPending = true; lineStart = true }
                index += 1
                continue
            }
            if breakPending { closeSentence(); breakPending = false }
            let start = index
            let (firstScalar, width) = scalar(units, index)
            let isWord = isWordScalar(firstScalar)
            if isWord {
                index += width
                while index < units.count {
                    if isWordUnit(units, index) {
                        index += scalar(units, index).1
                    } else if (units[index] == 0x27 || units[index] == 0x2D), isWordUnit(units, index + 1) {
                        index += 1  // an apostrophe or hyphen inside a word: don't, co-workers
                    } else if joinsCombiningMarks, Vocabulary.isCombiningMark(UInt32(units[index])) {
                        index += 1
                    } else {
                        break
                    }
                }
            } else {
                index += width
            }
            let (token, text) = makeToken(
                units, start, index, isWord: isWord, sentence: sentences.count, isFirst: tokens.isEmpty,
                startsLine: lineStart, vocabulary: vocabulary)
            tokens.append(token)
            texts.append(text)
            lineStart = false

            // . ! ? followed by white space ends the sentence, unless it closes an abbreviation or an initial.
            if !isWord, unit == 0x2E || unit == 0x21 || unit == 0x3F, index == units.count || isSpace(units[index]) {
                let previous = tokens.count >= 2 ? tokens[tokens.count - 2] : nil
                let abbreviation =
                    unit == 0x2E
                    && previous.map {
                        $0.isWord && $0.end == start
                            && ($0.end - $0.start == 1 || $0.flags & WordFlags.abbreviation != 0)
                    } == true
                if !abbreviation { breakPending = true }
            }
        }
        closeSentence()
        return (tokens, texts, sentences)
    }

    /// Makes the token for `units[start..<end]`, working out everything the matcher asks of it once: vocabulary id,
    /// lexicon flags, kinds and affixes.
    private static func makeToken(
        _ units: [UInt16], _ start: Int, _ end: Int, isWord: Bool, sentence: Int, isFirst: Bool,
        startsLine: Bool, vocabulary: Vocabulary
    ) -> (Token, String) {
        let slice = units[start..<end]
        let ascii = slice.allSatisfy { $0 < 0x80 }
        let text: String
        if ascii {
            text = String(unsafeUninitializedCapacity: slice.count) { buffer in
                for (offset, unit) in slice.enumerated() {
                    buffer[offset] = UInt8(unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit)
                }
                return slice.count
            }
        } else if !isWord {
            text = String(decoding: slice, as: UTF16.self)
        } else if vocabulary.foldsDiacritics {
            text = Vocabulary.folded(String(decoding: slice, as: UTF16.self))
        } else {
            text = String(decoding: slice, as: UTF16.self).lowercased()
        }
        let capitalized = isWord && isUppercase(units, start)
        let titleCase = capitalized && end - start > 1 && isLowercase(units, start + scalar(units, start).1)
        let isNumber = isWord && slice.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let id = vocabulary.ids[text] ?? -1
        let flags = id >= 0 ? vocabulary.flags[Int(id)] : 0

        var kinds: UInt16 = 0
        func add(_ kind: TokenClass, _ condition: Bool) { if condition { kinds |= kind.bit } }
        let name = isWord && capitalized && flags & WordFlags.common == 0
        add(.any, isWord)
        add(.name, name)
        add(.business, name && flags & WordFlags.calendar == 0)
        add(.person, titleCase && flags & (WordFlags.common | WordFlags.businessSuffix) == 0)
        add(.initial, capitalized && end - start == 1)
        add(.number, isNumber)
        add(.suffix, capitalized && flags & WordFlags.businessSuffix != 0)
        add(.linename, startsLine && name)
        add(.linedash, startsLine && end - start == 1 && [0x2D, 0x2013, 0x2014, 0x7E].contains(units[start]))
        add(.opener, isFirst && name && flags & WordFlags.header == 0)

        var affixes: UInt64 = 0
        if isWord {
            let bytes = text.utf8
            for (bit, affix) in vocabulary.affixes.enumerated() where bytes.count >= affix.bytes.count {
                // A prefix may be the whole word ("garnish"); a suffix needs something before it ("we'll", not "'ll").
                let matches =
                    affix.isPrefix
                    ? bytes.starts(with: affix.bytes)
                    : bytes.count > affix.bytes.count && bytes.suffix(affix.bytes.count).elementsEqual(affix.bytes)
                if matches { affixes |= 1 << UInt64(bit) }
            }
        }
        let token = Token(
            id: id, flags: flags, start: start, end: end, sentence: sentence, isWord: isWord,
            isCapitalized: capitalized,
            isNumber: isNumber, kinds: kinds, affixes: affixes)
        return (token, text)
    }

    /// True when the scalar at `index` is an upper-case letter.
    private static func isUppercase(_ units: [UInt16], _ index: Int) -> Bool {
        let unit = units[index]
        if unit < 0x80 { return unit >= 0x41 && unit <= 0x5A }
        return scalar(units, index).0?.properties.isUppercase ?? false
    }

    /// True when the scalar at `index` is a lower-case letter.
    private static func isLowercase(_ units: [UInt16], _ index: Int) -> Bool {
        guard index < units.count else { return false }
        let unit = units[index]
        if unit < 0x80 { return unit >= 0x61 && unit <= 0x7A }
        return scalar(units, index).0?.properties.isLowercase ?? false
    }
}

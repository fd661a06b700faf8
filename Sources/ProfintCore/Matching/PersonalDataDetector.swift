/// Finds a beneficiary's personal data in a message: a date of birth (in
/// digits or in words, in four languages), a phone number (national and
/// international formats), an e-mail address, a street address, an identity
/// or file number (personnummer, codice fiscale, NIR, AGDREF, a case number
/// after its name) and a name after a title ("Mme Diallo", "signora Rossi").
///
/// Not personal data: a price ("12,50 €"), a year alone ("en 2019"), a time
/// ("14:30"), a module number, a date that cannot be a birth date (the
/// start of a course next year), a public helpline number.
///
/// One pass over the message's scalars and one over its words: linear in
/// its length.
public enum PersonalDataDetector {
    /// - Parameters:
    ///   - publicNumbers: the digits of numbers anyone may quote (the
    ///     helplines of the content): never personal data.
    ///   - latestBirthYear: a full date up to this year reads as a date of
    ///     birth even without "born"; later ones only after a birth word.
    public static func scan(_ text: String, publicNumbers: Set<String> = [], latestBirthYear: Int = 2014) -> PersonalDataScan {
        var hasDigit = false, hasAt = false, hasUpper = false
        for (i, b) in text.utf8.enumerated() {
            if b >= 48 && b <= 57 { hasDigit = true } else if b == 64 { hasAt = true } else if i > 0, b >= 65 && b <= 90 { hasUpper = true } else if b >= 0xC0 { hasUpper = true }
        }
        guard hasDigit || hasAt || hasUpper else { return PersonalDataScan(scrubbed: text) }
        let s = Array(text.unicodeScalars)
        let words = Self.words(s)
        var finder = Finder(s: s, words: words, publicNumbers: publicNumbers, latestBirthYear: latestBirthYear)
        if hasAt { finder.emails() }
        if hasDigit {
            finder.numbers()
            finder.datesInWords()
            finder.birthYears()
            finder.addresses()
        }
        finder.fiscalCodes()
        if hasUpper { finder.titledNames() }
        guard !finder.kinds.isEmpty else { return PersonalDataScan(scrubbed: text) }
        return PersonalDataScan(kinds: finder.kinds, scrubbed: finder.scrubbed())
    }

    // MARK: - Words

    struct Word {
        var range: Range<Int>
        /// Lower case, without diacritics.
        var folded: String
        var isNumber: Bool
        var isCapitalised: Bool
    }

    /// Runs of letters and digits (a letter–digit mix stays one word: "1er", "B1").
    static func words(_ s: [Unicode.Scalar]) -> [Word] {
        var out: [Word] = []
        var i = 0
        while i < s.count {
            guard isAlphanumeric(s[i]) else { i += 1; continue }
            let start = i
            var digitsOnly = true
            while i < s.count, isAlphanumeric(s[i]) || (i > start && s[i].properties.generalCategory == .nonspacingMark) {
                if !isDigit(s[i]) { digitsOnly = false }
                i += 1
            }
            var raw = String.UnicodeScalarView()
            raw.append(contentsOf: s[start..<i])
            out.append(Word(range: start..<i, folded: Folding.fold(Folding.normalize(String(raw))),
                            isNumber: digitsOnly, isCapitalised: s[start].properties.isUppercase))
        }
        return out
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    @inline(__always) static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        isDigit(c) || (c.value < 128 ? (c.value | 0x20 >= 97 && c.value | 0x20 <= 122) : c.properties.isAlphabetic)
    }

    // MARK: - Vocabulary

    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names: [[String]] = [
            ["january", "jan", "janvier", "janv", "gennaio", "genn", "gen", "januari"],
            ["february", "feb", "febr", "fevrier", "fevr", "fev", "febbraio", "febbr", "februari"],
            ["march", "mar", "mars", "marzo", "mars"],
            ["april", "apr", "avril", "avr", "aprile", "april"],
            ["may", "mai", "maggio", "magg", "mag", "maj"],
            ["june", "jun", "juin", "giugno", "giu", "juni"],
            ["july", "jul", "juillet", "juil", "luglio", "lug", "juli"],
            ["august", "aug", "aout", "agosto", "ago", "augusti"],
            ["september", "sep", "sept", "septembre", "settembre", "sett", "set"],
            ["october", "oct", "octobre", "ottobre", "ott", "oktober", "okt"],
            ["november", "nov", "novembre"],
            ["december", "dec", "decembre", "dicembre", "dic"],
        ]
        for (m, list) in names.enumerated() { for name in list { table[name] = m + 1 } }
        return table
    }()
    /// Words that say a date or year is a birth date.
    static let birthWords: Set<String> = [
        "born", "birth", "birthday", "dob", "nee", "ne", "naissance", "nata", "nato", "nascita", "fodd", "fodda",
        "fodelsedatum", "fodelsear",
    ]
    /// Words after which a long number is a file or identity number.
    static let fileWords: Set<String> = [
        "case", "file", "reference", "ref", "dossier", "pratica", "protocollo", "arende", "arendenummer", "referens",
        "agdref", "etranger", "personnummer", "samordningsnummer", "lma", "uci", "permit", "titre", "permesso", "id",
        "identity", "identite", "identita", "passport", "passeport", "passaporto", "pass",
    ]
    static let frenchStreets: Set<String> = [
        "rue", "avenue", "av", "boulevard", "bd", "chemin", "allee", "impasse", "place", "quai", "route", "cours", "square",
    ]
    static let englishStreets: Set<String> = [
        "street", "st", "road", "rd", "lane", "ln", "avenue", "ave", "drive", "close", "way", "crescent", "terrace", "square",
    ]
    static let italianStreets: Set<String> = ["via", "viale", "corso", "piazza", "piazzale", "vicolo", "largo", "strada", "contrada"]
    static let swedishStreetEndings = ["gatan", "vagen", "grand", "torget", "backen", "allen", "stigen", "leden", "gata", "vag"]
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mme", "mlle", "monsieur", "madame", "sig", "sigra", "signor", "signora",
        "signorina", "herr", "fru", "froken", "dr",
    ]
    /// Capitalised words that follow a title without being a name.
    static let notNames: Set<String> = ["le", "la", "les", "the", "il", "lo", "och", "et", "and", "e"]

    // MARK: - The search

    struct Finder {
        let s: [Unicode.Scalar]
        let words: [Word]
        let publicNumbers: Set<String>
        let latestBirthYear: Int
        var spans: [Range<Int>] = []
        var kinds: [PersonalDataScan.Kind] = []

        init(s: [Unicode.Scalar], words: [Word], publicNumbers: Set<String>, latestBirthYear: Int) {
            self.s = s
            self.words = words
            self.publicNumbers = publicNumbers
            self.latestBirthYear = latestBirthYear
        }

        mutating func add(_ kind: PersonalDataScan.Kind, _ range: Range<Int>) {
            spans.append(range)
            if !kinds.contains(kind) { kinds.append(kind) }
        }

        func covered(_ i: Int) -> Bool { spans.contains { $0.contains(i) } }

        /// The index of the word that starts at or after scalar `i`.
        func word(at i: Int) -> Int? {
            var low = 0, high = words.count
            while low < high {
                let mid = (low + high) / 2
                if words[mid].range.lowerBound < i { low = mid + 1 } else { high = mid }
            }
            return low < words.count ? low : nil
        }

        /// A birth word among the `n` words before word `w`.
        func birthWordBefore(_ w: Int, within n: Int = 4) -> Bool {
            guard w > 0 else { return false }
            for k in max(0, w - n)..<w {
                if PersonalDataDetector.birthWords.contains(words[k].folded) { return true }
                // "d.o.b."
                if k + 2 < w, words[k].folded == "d", words[k + 1].folded == "o", words[k + 2].folded == "b" { return true }
            }
            return false
        }

        func fileWordBefore(_ w: Int, within n: Int = 3) -> Bool {
            guard w > 0 else { return false }
            return (max(0, w - n)..<w).contains { PersonalDataDetector.fileWords.contains(words[$0].folded) }
        }

        func isBirthDate(year: Int, word w: Int) -> Bool {
            (year >= 1920 && year <= latestBirthYear) || (year >= 1900 && birthWordBefore(w))
        }

        // MARK: e-mail

        mutating func emails() {
            func local(_ c: Unicode.Scalar) -> Bool { isAlphanumeric(c) || "._%+-'".unicodeScalars.contains(c) }
            func domain(_ c: Unicode.Scalar) -> Bool { isAlphanumeric(c) || c == "." || c == "-" }
            for i in s.indices where s[i] == "@" {
                var l = i
                while l > 0, local(s[l - 1]) { l -= 1 }
                var r = i + 1
                while r < s.count, domain(s[r]) { r += 1 }
                while r > i + 1, s[r - 1] == "." { r -= 1 }
                guard l < i, r > i + 1 else { continue }
                let host = s[(i + 1)..<r]
                guard let dot = host.lastIndex(of: "."), dot > i + 1, r - dot - 1 >= 2 else { continue }
                add(.email, l..<r)
            }
        }

        // MARK: numbers in digits

        /// Digit groups joined by single separators: dates, phone numbers,
        /// identity numbers.
        mutating func numbers() {
            var i = 0
            while i < s.count {
                let plus = s[i] == "+" && i + 1 < s.count && isDigit(s[i + 1])
                guard isDigit(s[i]) || plus, i == 0 || !isAlphanumeric(s[i - 1]) else { i += 1; continue }
                let start = i
                if plus { i += 1 }
                var groups: [Int] = []
                var separators: [Unicode.Scalar] = []
                var digits = ""
                var end = i
                while i < s.count {
                    var n = 0
                    while i < s.count, isDigit(s[i]) {
                        digits.unicodeScalars.append(s[i])
                        n += 1
                        i += 1
                    }
                    groups.append(n)
                    end = i
                    // One separator, then more digits: the number goes on.
                    if i + 1 < s.count, " -./".unicodeScalars.contains(s[i]), isDigit(s[i + 1]) {
                        separators.append(s[i])
                        i += 1
                    } else if i + 2 < s.count, s[i] == " ", s[i + 1] == "(", isDigit(s[i + 2]) {
                        separators.append(" ")
                        i += 2
                    } else if i + 2 < s.count, s[i] == ")", s[i + 1] == " ", isDigit(s[i + 2]) {
                        separators.append(" ")
                        i += 2
                    } else {
                        break
                    }
                    if groups.count > 8 { break }
                }
                // A letter right after ("12h30", "3rd"): not a number of this kind.
                if end < s.count, isAlphanumeric(s[end]) { i = end; continue }
                classify(start: start, end: end, plus: plus, groups: groups, separators: separators, digits: digits)
                i = max(end, start + 1)
            }
        }

        mutating func classify(start: Int, end: Int, plus: Bool, groups: [Int], separators: [Unicode.Scalar], digits: String) {
            let range = start..<end
            let w = word(at: start) ?? words.count
            let count = digits.unicodeScalars.count
            let first = digits.unicodeScalars.first.map { Int($0.value) - 48 } ?? 0
            let sameSeparators = Set(separators).count <= 1
            // A date: d/m/yyyy, d.m.yyyy, d-m-yyyy or yyyy-mm-dd.
            if !plus, groups.count == 3, sameSeparators, let sep = separators.first, "/.-".unicodeScalars.contains(sep) {
                let parts = Self.split(digits, groups)
                var day = 0, month = 0, year = 0
                if groups[0] <= 2, groups[1] <= 2, groups[2] == 4 {
                    (day, month, year) = (parts[0], parts[1], parts[2])
                } else if groups[0] == 4, groups[1] == 2, groups[2] == 2 {
                    (year, month, day) = (parts[0], parts[1], parts[2])
                }
                if year > 0, month >= 1, month <= 12, day >= 1, day <= 31 {
                    if isBirthDate(year: year, word: w) { add(.dateOfBirth, range) }
                    return
                }
            }
            if !plus, publicNumbers.contains(digits) { return }
            // Swedish personnummer: yymmdd-xxxx or yyyymmdd-xxxx (or 12 digits at once).
            if !plus, (groups == [6, 4] || groups == [8, 4]) && (separators == ["-"] || separators == ["+"])
                || (groups == [12] && (digits.hasPrefix("19") || digits.hasPrefix("20"))) {
                let date = Self.split(digits, [groups[0] == 6 ? 6 : 8])[0]
                let mmdd = date % 10_000
                if mmdd / 100 >= 1, mmdd / 100 <= 12, mmdd % 100 >= 1, mmdd % 100 <= 91 {
                    add(.identifier, range)
                    return
                }
            }
            // French social security number (NIR): 13 or 15 digits starting 1 or 2.
            if !plus, first == 1 || first == 2, count == 13 || count == 15 {
                add(.identifier, range)
                return
            }
            // Phone numbers.
            if plus, count >= 8, count <= 15 { add(.phone, range); return }
            if !plus, digits.hasPrefix("00"), count >= 11, count <= 15 { add(.phone, range); return }
            if !plus, first == 0, count >= 9, count <= 11, groups.count > 1 || count == 10 {
                add(.phone, range)
                return
            }
            // Italian mobile numbers: ten digits starting with 3.
            if !plus, first == 3, count == 10, groups.allSatisfy({ $0 >= 2 }) {
                add(.phone, range)
                return
            }
            // A long number after "file", "dossier", "AGDREF", "pratica"…
            if !plus, count >= 5, fileWordBefore(w) {
                add(.identifier, range)
                return
            }
        }

        static func split(_ digits: String, _ groups: [Int]) -> [Int] {
            var out: [Int] = []
            var rest = Substring(digits)
            for g in groups {
                out.append(Int(rest.prefix(g)) ?? 0)
                rest = rest.dropFirst(g)
            }
            return out
        }

        // MARK: dates in words

        /// "14 Feb 1990", "3 mars 2001", "12 marzo 1999", "5 maj 2000",
        /// "February 14, 1990", "le 1er juin 1985", "il 2 di maggio 1990".
        mutating func datesInWords() {
            for (k, word) in words.enumerated() where !word.isNumber {
                let name = word.folded
                guard let _ = PersonalDataDetector.months[name] else { continue }
                // Day before: "14", "1er", "1st", optionally "de"/"di" between.
                var dayWord: Int?
                if k >= 1, Self.day(words[k - 1]) != nil {
                    dayWord = k - 1
                } else if k >= 2, ["de", "di", "of"].contains(words[k - 1].folded), Self.day(words[k - 2]) != nil {
                    dayWord = k - 2
                }
                var yearWord: Int?
                if k + 1 < words.count, Self.year(words[k + 1]) != nil {
                    yearWord = k + 1
                }
                // "February 14, 1990"
                if dayWord == nil, k + 2 < words.count, Self.day(words[k + 1]) != nil, Self.year(words[k + 2]) != nil {
                    dayWord = k + 1
                    yearWord = k + 2
                }
                guard let d = dayWord, let y = yearWord, let year = Self.year(words[y]) else { continue }
                let from = min(d, k), to = max(y, k)
                if isBirthDate(year: year, word: from) {
                    add(.dateOfBirth, words[from].range.lowerBound..<words[to].range.upperBound)
                }
            }
        }

        static func day(_ w: Word) -> Int? {
            var text = Substring(w.folded)
            for suffix in ["er", "st", "nd", "rd", "th"] where text.hasSuffix(suffix) && text.count > suffix.count {
                text = text.dropLast(suffix.count)
                break
            }
            guard text.count <= 2, text.allSatisfy(\.isNumber), let d = Int(text), d >= 1, d <= 31 else { return nil }
            return d
        }

        static func year(_ w: Word) -> Int? {
            guard w.isNumber, w.range.count == 4, let y = Int(w.folded), y >= 1900, y <= 2100 else { return nil }
            return y
        }

        // MARK: a year after "born"

        /// "né en 2004", "born in 1998", "född 1995", "nata nel 2001".
        mutating func birthYears() {
            for (k, word) in words.enumerated() where PersonalDataDetector.birthWords.contains(word.folded) {
                for j in (k + 1)..<min(words.count, k + 4) {
                    guard let year = Self.year(words[j]), year >= 1920, !covered(words[j].range.lowerBound) else { continue }
                    add(.dateOfBirth, words[j].range)
                    break
                }
            }
        }

        // MARK: street addresses

        mutating func addresses() {
            for (k, word) in words.enumerated() {
                let name = word.folded
                // "12 rue de la Paix", "12bis, avenue Jean Jaurès"
                if word.isNumber || Self.houseNumber(word), word.range.count <= 6, k + 1 < words.count {
                    var next = k + 1
                    if ["bis", "ter"].contains(words[next].folded), next + 1 < words.count { next += 1 }
                    if PersonalDataDetector.frenchStreets.contains(words[next].folded), next + 1 < words.count,
                       words[next + 1].isCapitalised || ["de", "du", "des", "la", "le", "l", "d"].contains(words[next + 1].folded) {
                        var last = next + 1
                        while last + 1 < words.count, last - next < 4, words[last + 1].isCapitalised
                            || ["de", "du", "des", "la", "le", "l", "d"].contains(words[last + 1].folded) {
                            last += 1
                        }
                        add(.address, word.range.lowerBound..<words[last].range.upperBound)
                        continue
                    }
                    // "14 Baker Street", "221 North Circular Road"
                    var last = k + 1
                    while last < words.count, last - k <= 3, words[last].isCapitalised, !PersonalDataDetector.englishStreets.contains(words[last].folded) {
                        last += 1
                    }
                    if last > k + 1, last < words.count, PersonalDataDetector.englishStreets.contains(words[last].folded) {
                        add(.address, word.range.lowerBound..<words[last].range.upperBound)
                        continue
                    }
                }
                // "via Roma 12", "corso Vittorio Emanuele II 45"
                if PersonalDataDetector.italianStreets.contains(name), k + 1 < words.count, words[k + 1].isCapitalised {
                    var j = k + 1
                    while j < words.count, j - k <= 5, !words[j].isNumber { j += 1 }
                    if j < words.count, j - k <= 5, words[j].isNumber, words[j].range.count <= 4,
                       (k + 1..<j).allSatisfy({ words[$0].isCapitalised || ["di", "del", "della", "dei", "delle", "de"].contains(words[$0].folded) }) {
                        add(.address, word.range.lowerBound..<words[j].range.upperBound)
                        continue
                    }
                }
                // "Storgatan 5", "Kungsvägen 12B"
                if !word.isNumber, k + 1 < words.count, words[k + 1].isNumber || Self.houseNumber(words[k + 1]),
                   words[k + 1].range.count <= 4,
                   PersonalDataDetector.swedishStreetEndings.contains(where: { name.hasSuffix($0) && name.count > $0.count + 1 }) {
                    add(.address, word.range.lowerBound..<words[k + 1].range.upperBound)
                }
            }
        }

        /// "12B", "12bis", "3ter".
        static func houseNumber(_ w: Word) -> Bool {
            var t = Substring(w.folded)
            for suffix in ["bis", "ter"] where t.hasSuffix(suffix) { t = t.dropLast(3) }
            if t.count == w.folded.count, let last = t.last, last.isLetter { t = t.dropLast() }
            return !t.isEmpty && t.count < w.folded.count && t.allSatisfy(\.isNumber)
        }

        // MARK: codice fiscale

        /// Sixteen characters: six letters, two digits, a letter, two
        /// digits, a letter, three digits, a letter.
        mutating func fiscalCodes() {
            for word in words where word.range.count == 16 && !word.isNumber {
                let shape = "LLLLLLDDLDDLDDDL"
                var fits = true
                for (c, kind) in zip(s[word.range], shape) {
                    let digit = isDigit(c)
                    let letter = c.value < 128 && (c.value | 0x20) >= 97 && (c.value | 0x20) <= 122
                    if (kind == "D" && !digit) || (kind == "L" && !letter) { fits = false; break }
                }
                if fits { add(.identifier, word.range) }
            }
        }

        // MARK: names after a title

        /// "Mme Diallo", "Mr. Haddad", "signora Rossi", "herr Ali": the name is dropped.
        mutating func titledNames() {
            for (k, word) in words.enumerated() where k + 1 < words.count && PersonalDataDetector.titles.contains(word.folded) {
                // A capital on the title, or a title that cannot be an ordinary word.
                guard word.isCapitalised || word.folded.count > 2 else { continue }
                let next = words[k + 1]
                guard next.isCapitalised, !next.isNumber, next.range.count <= 20,
                      !PersonalDataDetector.notNames.contains(next.folded) else { continue }
                // Between them only spaces and a dot: "Mr. Haddad", not "Mr, Haddad".
                let between = s[word.range.upperBound..<next.range.lowerBound]
                guard between.allSatisfy({ $0 == " " || $0 == "." }) else { continue }
                add(.name, next.range)
            }
        }

        /// The message with each span replaced by one space.
        func scrubbed() -> String {
            var drop = [Bool](repeating: false, count: s.count)
            for r in spans { for i in r { drop[i] = true } }
            var out = String.UnicodeScalarView()
            var i = 0
            while i < s.count {
                if drop[i] {
                    out.append(" ")
                    while i < s.count, drop[i] { i += 1 }
                } else {
                    out.append(s[i])
                    i += 1
                }
            }
            return String(out)
        }
    }
}

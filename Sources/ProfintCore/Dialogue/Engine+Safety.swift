import Foundation

/// Safety: the categories decided before every other intent, and their
/// replies, which carry the helplines of the country in question.
extension Engine {
    /// The safety intents of the catalogue, most urgent first (among the
    /// model's candidates the likeliest wins; patterns go by `patternTier`).
    static let safetyIntents = [
        IntentID.emergency, IntentID.child, IntentID.exploitation, IntentID.violence,
        IntentID.selfHarm, IntentID.homeless, IntentID.individualCase,
    ]

    public static func isSafety(_ intent: String?) -> Bool {
        guard let intent else { return false }
        return intent.hasPrefix("safety.")
    }

    /// Words that make a message a question about a topic (a module, a
    /// definition, prevention work) rather than a report of a situation.
    static let topicCues: [StringSet] = [
        StringSet(["module", "modules", "training", "workshop", "webinar", "course", "session", "sessions", "definition",
                   "define", "mean", "means", "meaning", "prevent", "preventing", "prevention", "awareness", "policy",
                   "talk", "discuss", "explain", "teach", "indicators", "signs", "theory", "law", "legislation", "statistics",
                   "difference", "between"]),
        StringSet(["module", "modules", "formation", "formations", "atelier", "ateliers", "webinaire", "seance", "definition",
                   "definir", "signifie", "veut", "dire", "prevenir", "prevention", "sensibilisation", "sensibiliser", "parler",
                   "aborder", "expliquer", "indicateurs", "signes", "loi", "statistiques", "sujet", "theme"]),
        StringSet(["modulo", "moduli", "formazione", "corso", "corsi", "laboratorio", "workshop", "webinar", "definizione",
                   "significa", "vuol", "prevenire", "prevenzione", "sensibilizzazione", "parlare", "affrontare", "spiegare",
                   "indicatori", "segnali", "legge", "statistiche", "tema", "argomento", "cos", "cosa", "differenza"]),
        StringSet(["modul", "modulen", "utbildning", "utbildningen", "kurs", "kursen", "workshop", "workshopen", "definition",
                   "betyder", "innebar", "forebygga", "forebyggande", "prata", "tala", "ta", "upp", "forklara", "indikatorer",
                   "tecken", "lag", "lagen", "statistik", "amne", "amnet", "tema"]),
    ]
    /// Words that point at someone in a situation: pronouns and the roles
    /// of the people a counsellor follows.
    static let situationCues: [StringSet] = [
        StringSet(["he", "she", "him", "her", "his", "hers", "himself", "herself", "client", "participant", "trainee",
                   "beneficiary", "mentee", "learner", "student", "resident", "boy", "girl", "man", "woman", "mother",
                   "father", "son", "daughter", "husband", "wife", "boss", "employer", "colleague", "someone", "somebody",
                   "told", "says", "said", "tonight", "now", "today", "yesterday", "baby", "kid", "kids", "toddler", "teenager"]),
        StringSet(["il", "elle", "lui", "son", "sa", "ses", "cliente", "client", "participant", "participante", "stagiaire",
                   "beneficiaire", "jeune", "apprenant", "apprenante", "eleve", "resident", "residente", "garcon", "fille",
                   "homme", "femme", "mere", "pere", "fils", "mari", "patron", "employeur", "collegue", "quelqu", "dit",
                   "raconte", "soir", "maintenant", "aujourd", "hier", "mineur", "mineure", "enfant", "enfants", "bebe", "ado", "ados"]),
        StringSet(["lui", "lei", "suo", "sua", "utente", "assistito", "assistita", "partecipante", "tirocinante", "corsista",
                   "beneficiario", "beneficiaria", "ragazzo", "ragazza", "ospite", "uomo", "donna", "madre", "padre",
                   "figlio", "figlia", "marito", "moglie", "capo", "datore", "collega", "qualcuno", "detto", "dice",
                   "racconta", "stasera", "adesso", "oggi", "ieri", "minore", "signora", "signore", "bambino", "bambina", "bambini",
                   "neonato"]),
        StringSet(["han", "hon", "honom", "henne", "hans", "hennes", "klient", "klienten", "deltagare", "deltagaren",
                   "praktikant", "elev", "eleven", "kille", "killen", "tjej", "tjejen", "flicka", "flickan", "pojke", "pojken",
                   "man", "mannen", "kvinna", "kvinnan", "mamma", "pappa", "son", "dotter", "chef", "chefen", "arbetsgivare",
                   "arbetsgivaren", "kollega", "nagon", "sa", "sager", "berattade", "ikvall", "nu", "idag", "igar", "barn", "barnet",
                   "bebis"]),
    ]

    /// Whether a reply still asks for the country of its safety lines.
    public static func asksForCountry(_ reply: Reply) -> Bool {
        reply.choices.contains { $0.payload.hasPrefix("safety:") }
    }

    /// A question about the topic, with nobody in a situation in it.
    func asksAboutTopic(_ tokens: [AnalyzedToken], _ language: Language) -> Bool {
        let topic = Self.topicCues[language.index], situation = Self.situationCues[language.index]
        var about = false
        for token in tokens where token.kind == .word {
            if situation.contains(token.word) { return false }
            if topic.contains(token.word) { about = true }
        }
        return about
    }

    /// Words of time, counts and connectives (folded, four languages): they say when, not what. They
    /// fill emergency examples ("tonight", "adesso"), so the model links them
    /// to danger; alone they are not a sign of a situation ("works nights",
    /// "the bus comes once an hour" — "all'ora").
    static let timeWords = StringSet([
        "now", "tonight", "today", "night", "nights", "hour", "hours", "evening", "morning", "currently",
        "maintenant", "soir", "nuit", "nuits", "aujourd", "hui", "heure", "heures", "actuellement", "matin",
        "ora", "ore", "adesso", "stasera", "stanotte", "notte", "notti", "oggi", "sera", "mattina", "momento",
        "nu", "ikvall", "kvall", "natt", "natten", "natter", "inatt", "idag", "timme", "timmen", "timmar", "morgon",
        // Counts and connectives, which patterns of risk also use ("two
        // euros an hour", "parce qu'il…") without being a sign of it.
        "one", "two", "three", "because", "un", "une", "deux", "trois", "parce", "uno", "due", "tre", "perche",
        "en", "ett", "tva", "eftersom",
    ])

    /// Words that name one child (folded, four languages). Not "girl" or
    /// "ragazza", often said of young adults, nor "children" or "barn",
    /// said of a victim's family as often as of the victim.
    static let childCues = StringSet([
        "child", "kid", "baby", "toddler", "minor", "schoolboy", "schoolgirl", "boy",
        "enfant", "bebe", "mineur", "mineure", "fillette", "garconnet", "ecolier", "ecoliere",
        "bambino", "bambina", "bimbo", "bimba", "neonato", "neonata", "ragazzino", "ragazzina", "minore",
        "barnet", "pojke", "pojken", "flicka", "flickan", "bebis", "minderarig",
    ])
    /// Words after a number that make it an age ("12 years", "de 12 ans").
    static let ageWords = StringSet(["year", "years", "yo", "ans", "anni", "ar", "aring", "arig", "arige"])

    /// Whether the message names a child, or someone aged 17 or less.
    func mentionsChild(_ tokens: [AnalyzedToken]) -> Bool {
        for (i, token) in tokens.enumerated() {
            if token.kind == .word, Self.childCues.contains(token.word) { return true }
            guard token.kind == .number, let age = Int(token.word), age <= 17 else { continue }
            // "12 years old", "12-year-old", "di 12 anni", "på 12 år", "en 15-åring"; "a boy of 12", "en pojke på 12".
            if i + 1 < tokens.count, tokens[i + 1].kind == .word, Self.ageWords.contains(tokens[i + 1].word) { return true }
        }
        return false
    }

    // MARK: - Replies

    static let missingCues = StringSet([
        "missing", "disappeared", "vanished", "runaway", "disparu", "disparue", "disparus", "fugue", "introuvable",
        "scomparso", "scomparsa", "sparito", "sparita", "irreperibile", "forsvunnen", "forsvunnet", "forsvann", "rymt",
    ])
    static let medicalCues = StringSet([
        "medicine", "medication", "medicines", "drug", "drugs", "doctor", "treatment", "pain", "pregnant", "insulin",
        "pills", "dose", "medicament", "medicaments", "traitement", "medecin", "douleur", "douleurs", "enceinte",
        "insuline", "dose", "farmaco", "farmaci", "medicina", "medicinale", "medico", "dolore", "dolori", "terapia",
        "incinta", "insulina", "medicin", "medicinen", "lakare", "tabletter", "smarta", "ont", "gravid", "behandling",
    ])

    /// The helpline uses a safety intent cites, in order of preference.
    func safetyUses(_ intent: String, words: [String]) -> [HelplineUse] {
        switch intent {
        case IntentID.emergency: return [.emergency]
        case IntentID.selfHarm: return [.selfHarm]
        case IntentID.violence: return [.violence]
        case IntentID.exploitation: return [.exploitation, .labour]
        case IntentID.child:
            return words.contains(where: { Self.missingCues.contains($0) }) ? [.missingChild, .child] : [.child, .missingChild]
        case IntentID.homeless: return [.homeless]
        case IntentID.individualCase:
            return words.contains(where: { Self.medicalCues.contains($0) }) ? [.health, .legal, .asylum] : [.asylum, .legal, .health]
        default: return [.emergency]
        }
    }

    /// How many national lines a reply lists, and local ones after them.
    static let nationalLines = 3
    static let localLines = 2

    /// The numbers block of a safety reply and, when the country is not
    /// known, the countries to choose from.
    func safetyLines(_ intent: String, country: String?, language: Language, words: [String]) -> (text: String, choices: [Choice]) {
        let uses = safetyUses(intent, words: words)
        let directory = index.helplines
        var shown: [Helpline]
        var choices: [Choice] = []
        if let country, directory.countries.contains(country) {
            let all = directory.lines(country: country, serving: uses, language: language)
            let national = all.filter { !$0.uses.contains(HelplineUse.local.rawValue) }
            let local = all.filter { $0.uses.contains(HelplineUse.local.rawValue) }
            shown = Array(national.prefix(Self.nationalLines)) + Array(local.prefix(Self.localLines))
            if shown.isEmpty { shown = Array(directory.lines(country: country, serving: [.emergency], language: language).prefix(1)) }
        } else {
            shown = Array(directory.lines(country: nil, serving: uses, language: language).prefix(Self.nationalLines))
            // One person's case needs national services: the countries to choose from, not 112.
            if intent == IntentID.emergency || intent == IntentID.selfHarm || (shown.isEmpty && intent != IntentID.individualCase) {
                let emergency = directory.lines(country: nil, serving: [.emergency], language: language)
                shown = Array((emergency.prefix(1) + shown.filter { !emergency.prefix(1).contains($0) }).prefix(Self.nationalLines))
            }
            choices = directory.countries.map { code in
                Choice(label: index.slotName(of: code, slot: .country, in: language), payload: "safety:\(intent):\(code)")
            }
        }
        var text = shown.map(Self.format).joined(separator: "\n")
        if !choices.isEmpty {
            text += "\n" + index.message("safety_which_country", language)
        }
        return (text, choices)
    }

    /// "• 3919 — Violences Femmes Info: what it is for (24/7)"
    static func format(_ line: Helpline) -> String {
        var out = "• "
        if let number = line.number { out += number + " — " }
        out += line.name
        if !line.purpose.isEmpty { out += ": " + line.purpose }
        if let hours = line.hours, !hours.isEmpty { out += " (\(hours))" }
        return out
    }

    /// The helplines items, each cited by the safety replies of its country.
    public var helplineItemIDs: [String] { index.helplines.allItemIDs }

    /// The reply of a safety intent for a country (nil: not known).
    func safetyAnswer(_ intent: String, country: String?, language: Language, words: [String], seed: Int) -> Reply {
        let responses = index.intents[intent]?.responsesOrEnglish[language.index] ?? []
        let template = responses.isEmpty ? "{lines}" : responses[abs(seed) % responses.count]
        let (lines, choices) = safetyLines(intent, country: country, language: language, words: words)
        let directory = index.helplines
        let text: String
        if template.contains("{lines}") {
            text = lines.isEmpty ? template.replacingFirst("{lines}\n", with: "").replacingFirst("{lines}", with: "")
                : template.replacingFirst("{lines}", with: lines)
        } else {
            text = lines.isEmpty ? template : lines + "\n\n" + template
        }
        // The country's full list, one tap away (the EU list while the country is not known).
        let known = country.flatMap { directory.countries.contains($0) ? $0 : nil }
        let items = index.helplines.itemIDs(country: known)
        var allChoices = choices
        if choices.isEmpty, let id = items.first, let item = index.knowledge.item(id: id, language: language) {
            allChoices.append(Choice(label: Self.shorten(item.title), payload: "item:\(id)"))
        }
        return Reply(text: text, choices: allChoices, resources: items)
    }

    /// The country a safety reply is for: the message's (a country, an
    /// institution or a city), else the conversation's, else the chat's.
    func safetyCountry(tokens: [AnalyzedToken], language: Language, state: DialogueState, hint: String?) -> String? {
        if let stated = index.slotExtractor.extract(tokens, language, includeInstitutions: true)[.country] { return stated }
        if let carried = state.slotValues[.country] { return carried }
        return hint
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

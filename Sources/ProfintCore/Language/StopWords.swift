/// Function words per language (folded). They carry little topic and much
/// language: the detector leans on them, knowledge retrieval ignores them.
public enum StopWords {
    public static func contains(_ folded: String, _ language: Language) -> Bool {
        tables[language.index].contains(folded)
    }

    public static func words(_ language: Language) -> Set<String> {
        sets[language.index]
    }

    static let sets: [Set<String>] = [en, fr, it, sv].map { list in
        Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Folding.fold(String($0)) })
    }
    /// The same sets, for the message path (FNV-hashed open addressing).
    static let tables: [StringSet] = sets.map { StringSet($0.sorted()) }

    static let en = """
    a about above after again against all am an and any are as at be because been before being below between both \
    but by can could did do does doing don down during each few for from further had has have having he her here \
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of \
    off on once only or other our ours ourselves out over own same she should so some such than that the their \
    theirs them themselves then there these they this those through to too under until up very was we were what \
    when where which while who whom why will with would you your yours yourself yourselves i'm it's don't can't \
    please hi hello thanks thank any anything something there's what's how's got get gonna wanna let us
    """
    static let fr = """
    a au aux avec ce ces c ça cela ceci celui celle cet cette d dans de des du elle elles en est et être eu il ils \
    j je l la le les leur leurs lui m ma mais me même mes moi mon n ne nos notre nous on ou où par pas pour qu que \
    qui quoi s sa se ses si son sont sur t ta te tes toi ton tu un une vos votre vous y été était avez avons ai as \
    comment quel quelle quels quelles pourquoi quand est-ce bonjour merci oui non svp stp peux pouvez peut faut \
    faire fait très plus aussi donc alors chez
    """
    static let it = """
    a ad agli ai al alla alle allo anche che chi ci come con cosa cui da dal dalla dalle degli dei del della delle \
    dello di e è ed gli ha hai hanno ho i il in io l la le lei lo loro lui ma mi mia mie miei mio ne negli nei nel \
    nella nelle noi non o per perché più quale quali quando quanto quella quelle quelli quello questa queste questi \
    questo se si sono su sua sue sugli sui sul sulla suo suoi ti tra tu tua tue tuo tuoi un una uno vi voi c dell \
    nell all dall sull un' ciao grazie posso puoi può sì ecco molto anche essere avere fare qualche
    """
    static let sv = """
    alla allt att av blev bli blir de dem den denna deras dess det detta dig din dina ditt du där då efter ej eller \
    en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke ingen inom inte jag ju kan \
    kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig \
    sin sina sitta själv skulle som så sådan till under upp ut utan vad var vara varför varit vart vem vi vid vilka \
    vilken vill våra vårt än är över hej tack ja nej finns också kommer får göra
    """
}

/// Intent ids the engine's own rules refer to (the rest are only data).
/// `EngineIndex` checks at load that the content defines each of them.
public enum IntentID {
    public static let emergency = "safety.emergency"
    public static let selfHarm = "safety.self_harm"
    public static let violence = "safety.violence"
    public static let exploitation = "safety.exploitation"
    public static let child = "safety.child"
    public static let homeless = "safety.homeless"
    public static let individualCase = "safety.individual_case"
    public static let more = "more"
    public static let countrySystem = "country.system"
    public static let resourceSearch = "resource.search"
    public static let languageSet = "language.set"
    public static let humanContact = "human.contact"
}

/// Intent ids the engine's own rules refer to (the rest are only data).
/// `profint check` fails when the content lacks one (they are in the catalogue).
public enum IntentID {
    public static let emergency = "safety.emergency"
    public static let selfHarm = "safety.self_harm"
    public static let violence = "safety.violence"
    public static let exploitation = "safety.exploitation"
    public static let child = "safety.child"
    public static let homeless = "safety.homeless"
    public static let individualCase = "safety.individual_case"
    public static let countrySystem = "country.system"
}

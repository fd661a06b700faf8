/// The intent ids of the catalogue (`shared/product/intents.md`): a
/// contract that `Intents/` must fulfil in every language.
public enum IntentCatalogue {
    public static let ids: [String] = [
        "greet", "goodbye", "thanks", "help", "bot.identity", "more", "language.set",
        "feedback.positive", "feedback.negative", "privacy.info", "privacy.forget", "human.contact",
        "profint.about", "profint.partners", "profint.model", "profint.success_factors",
        "profint.recommendations", "profint.loop", "profint.platform",
        "resource.case", "resource.tool", "resource.good_practice", "resource.search",
        "training.kit", "training.module", "training.skills", "training.facilitation",
        "practice.needs_assessment", "practice.language", "practice.recognition", "practice.employment",
        "practice.vocational_training", "practice.coordination", "practice.intercultural",
        "practice.wellbeing", "practice.engagement", "practice.community", "practice.digital",
        "practice.admin_rights", "practice.basic_needs", "practice.self_care",
        "country.system",
        "prompts.subscribe", "prompts.unsubscribe", "prompts.today", "prompts.status",
        "safety.emergency", "safety.self_harm", "safety.violence", "safety.exploitation", "safety.child",
        "safety.homeless", "safety.individual_case",
    ]
}

import ProfintCore

/// Which knowledge items a user can reach: shown on the first page of some
/// intent's answer (any topic, target group and country), cited by a
/// conversation test, delivered as a daily prompt, cited by a safety reply
/// (the helplines items), or one choice away
/// (a related item) from one of those.
public enum Coverage {
    public static func unreached(engine: Engine, content: EngineContent, cited: Set<String>) -> [String] {
        var reached = cited
        let topics: [String?] = [nil] + (SlotName.topic.allowedValues ?? []).map { $0 }
        let groups: [String?] = [nil] + (SlotName.targetGroup.allowedValues ?? []).map { $0 }
        let countries: [String?] = [nil] + (SlotName.country.allowedValues ?? []).map { $0 }
        for intent in content.intents {
            guard let answer = intent.answer else { continue }
            for language in Language.allCases {
                for topic in intent.topic.map({ [$0] }) ?? topics {
                    for group in groups {
                        for country in countries {
                            for type in answer.types {
                                let hits = engine.knowledge.search(KnowledgeQuery(
                                    language: language, types: intent.id.hasPrefix("practice.") ? [type] : answer.types,
                                    topic: topic, targetGroup: group, country: country))
                                for hit in hits.prefix(answer.count) { reached.insert(hit.id) }
                            }
                        }
                    }
                }
            }
        }
        for item in content.knowledge where item.type == .prompt { reached.insert(item.id) }
        reached.formUnion(engine.helplineItemIDs)
        var frontier = reached
        for item in content.knowledge where frontier.contains(item.id) {
            for id in item.related + [item.factor].compactMap({ $0 }) { reached.insert(id) }
        }
        frontier = []
        return Set(content.knowledge.map(\.id)).subtracting(reached).sorted()
    }
}

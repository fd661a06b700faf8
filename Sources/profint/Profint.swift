import ArgumentParser

@main
struct Profint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profint",
        abstract: "PROFINT Guide: a rule-based guidance bot for professionals who accompany migrants and refugees.",
        subcommands: [ReplCommand.self, CheckCommand.self, ClassifyCommand.self, EvalCommand.self, TestCommand.self, IndexCommand.self, BenchCommand.self, ServeCommand.self, TelegramCommand.self, MatrixCommand.self, PromptsCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}

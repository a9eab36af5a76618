import ArgumentParser

/// The `starling` command: an autonomous machine-learning engineering agent.
@main
struct Starling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "starling",
        abstract: "An autonomous machine-learning engineering agent.",
        version: "0.1.0",
        subcommands: [
            SetupCommand.self,
            DoctorCommand.self,
            ExecCommand.self,
            TasksCommand.self,
            RunCommand.self,
            ResumeCommand.self,
            LessonsCommand.self,
            LLMCommand.self,
            MCPCommand.self,
            DashboardCommand.self,
            ServeCommand.self,
            RayCommand.self,
            BenchCellCommand.self,
            ExportCommand.self,
            ReportCommand.self,
            BenchCommand.self,
            SelfBenchCommand.self,
            RepoCommand.self,
        ]
    )
}

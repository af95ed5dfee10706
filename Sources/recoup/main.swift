import RecoupServer

await RecoupCommand.runAndExit(arguments: Array(CommandLine.arguments.dropFirst()))

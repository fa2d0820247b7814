using SynoCertPanel.Web.Cli;

return await PanelCommandLine.RunAsync(args.Length == 0 ? ["serve"] : args, Console.Out, Console.Error, TimeProvider.System);

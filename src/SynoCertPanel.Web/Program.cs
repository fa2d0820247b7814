using SynoCertPanel.Web.Hosting;

var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
if (command != "serve")
{
    await Console.Error.WriteLineAsync($"Unknown command \"{SynoCertPanel.Pki.Display.Literal(command, 40)}\". Usage: synocertpanel serve [--data DIR] [--https-port N] [--http-port N] [--bind ADDR]");
    return 2;
}

var options = ServeOptions.Parse(args.SkipWhile(a => !a.StartsWith('-')).ToArray(), Environment.GetEnvironmentVariable);
if (!options.IsSuccess)
{
    await Console.Error.WriteLineAsync(options.Error);
    return 2;
}

await PanelHost.Build(options.Value).RunAsync();
return 0;

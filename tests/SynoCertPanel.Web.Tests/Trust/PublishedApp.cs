namespace SynoCertPanel.Web.Tests.Trust;

/// <summary>`dotnet publish` of the panel into a temp folder, once per test run, as the Dockerfile's build stage does on amd64.</summary>
internal static class PublishedApp
{
    // The test's own configuration, so the publish reuses the build that is already there.
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    public static Task<string> PathAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"synocert-published-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, recursive: true);
        var project = Path.Combine(Support.RepositoryRoot.Path, "src", "SynoCertPanel.Web", "SynoCertPanel.Web.csproj");
        var publish = await ExternalProcess.RunAsync("dotnet",
            ["publish", project, "-c", Configuration, "-r", "linux-x64", "--self-contained", "false", "-o", output, "--nologo", "-p:UseAppHost=true"],
            // ReadyToRun compiles every assembly: minutes on 2 busy cores, well inside the run's 10-minute hang limit.
            timeout: TimeSpan.FromMinutes(8));
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed:\n{publish.Output}\n{publish.Error}");
        }

        // Readable by the unprivileged user the test drops to, like /app in the image.
        File.SetUnixFileMode(output, (UnixFileMode)Convert.ToInt32("755", 8));
        return Path.Combine(output, "synocertpanel");
    }
}

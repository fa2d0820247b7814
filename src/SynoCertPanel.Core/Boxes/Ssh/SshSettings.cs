using System.Globalization;

namespace SynoCertPanel.Core.Boxes.Ssh;

/// <summary>One file the delivery installs: where, what, with which permissions.</summary>
internal sealed record SshFile(string Path, string Content, short Mode)
{
    public string Directory => Path[..Math.Max(1, Path.LastIndexOf('/'))];

    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    public string PreviousPath => Path + ".previous";
}

/// <summary>A box's SSH settings, checked: built only when every value passed its option's rule.</summary>
internal sealed record SshSettings(
    string Host,
    int Port,
    string User,
    string PrivateKey,
    string? PinnedHostKey,
    string? CertPath,
    string? KeyPath,
    string? ChainPath,
    string? Owner,
    short KeyMode,
    short CertMode,
    string? ReloadCommand,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout)
{
    public string Endpoint => $"{User}@{Host}:{Port}";

    public IEnumerable<string> Paths => new[] { CertPath, KeyPath, ChainPath }.OfType<string>();

    public IReadOnlyList<SshFile> Files(DeliveryBundle bundle)
    {
        var files = new List<SshFile>();
        if (CertPath is not null)
        {
            files.Add(new SshFile(CertPath, bundle.CertificatePem.TrimEnd() + "\n", CertMode));
        }

        if (ChainPath is not null)
        {
            files.Add(new SshFile(ChainPath, bundle.FullChainPem, CertMode));
        }

        if (KeyPath is not null)
        {
            files.Add(new SshFile(KeyPath, bundle.PrivateKeyPem.TrimEnd() + "\n", KeyMode));
        }

        return files;
    }

    /// <summary>The settings, or the sentences that say which values are missing or wrong.</summary>
    public static (SshSettings? Settings, IReadOnlyList<string> Problems) From(DeliveryTarget target)
    {
        var problems = new List<string>();
        string? Value(DeliveryOption option)
        {
            var value = (option.Secret ? target.SecretValue(option.Name) : target.Setting(option.Name))?.Trim();
            value = string.IsNullOrEmpty(value) ? option.Default : value;
            if (value is null)
            {
                if (option.Required)
                {
                    problems.Add($"{option.Label} is required.");
                }

                return null;
            }

            if (option.Validate?.Invoke(value) is { } problem)
            {
                problems.Add(problem);
                return null;
            }

            return value;
        }

        var values = SshOptions.All.ToDictionary(o => o.Name, Value);
        var host = values[SshOptions.Host] ?? target.Addresses.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a))?.Trim();
        if (host is null)
        {
            problems.Add("The box has no address and no host is set.");
        }

        if (new[] { SshOptions.CertPath, SshOptions.KeyPath, SshOptions.ChainPath }.All(name => string.IsNullOrWhiteSpace(target.Setting(name))))
        {
            problems.Add("Give at least one file path: certificate, key or full chain.");
        }

        var paths = new[] { values[SshOptions.CertPath], values[SshOptions.KeyPath], values[SshOptions.ChainPath] }.OfType<string>().ToList();
        if (paths.Count != paths.Distinct(StringComparer.Ordinal).Count())
        {
            problems.Add("The certificate, key and chain files must be different paths.");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        static int Number(string? text) => int.Parse(text!, NumberStyles.None, CultureInfo.InvariantCulture);
        return (new SshSettings(
            host!,
            Number(values[SshOptions.Port]),
            values[SshOptions.User]!,
            values[SshOptions.PrivateKey]!,
            values[SshOptions.HostKey],
            values[SshOptions.CertPath],
            values[SshOptions.KeyPath],
            values[SshOptions.ChainPath],
            values[SshOptions.Owner],
            SshOptions.ParseMode(values[SshOptions.KeyMode]!)!.Value,
            SshOptions.ParseMode(values[SshOptions.CertMode]!)!.Value,
            values[SshOptions.ReloadCommand],
            TimeSpan.FromSeconds(Number(values[SshOptions.ConnectTimeout])),
            TimeSpan.FromSeconds(Number(values[SshOptions.CommandTimeout]))), []);
    }
}

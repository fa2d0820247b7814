using System.Globalization;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Core.Boxes.Ssh;

/// <summary>The settings of an SSH box: what the page, the CLI and the API ask for, and the rule for each value.</summary>
public static partial class SshOptions
{
    public const string Host = "host";
    public const string Port = "port";
    public const string User = "user";
    public const string PrivateKey = "private-key";
    public const string HostKey = "host-key";
    public const string CertPath = "cert-path";
    public const string KeyPath = "key-path";
    public const string ChainPath = "chain-path";
    public const string Owner = "owner";
    public const string KeyMode = "key-mode";
    public const string CertMode = "cert-mode";
    public const string ReloadCommand = "reload-command";
    public const string ConnectTimeout = "connect-timeout";
    public const string CommandTimeout = "command-timeout";

    public static IReadOnlyList<DeliveryOption> All { get; } =
    [
        new(Host, "Host", "Name or address to connect to; empty means the box's first address.", Validate: ValidateHost),
        new(Port, "Port", "SSH port of the box.", Default: "22", Validate: ValidatePort),
        new(User, "User", "Account the panel logs in as; it needs write access to the certificate folders and may run the reload command.",
            Required: true, Validate: ValidateUser),
        new(PrivateKey, "Login key", "The panel makes one key per box; put the public line it shows into ~/.ssh/authorized_keys of that account.",
            Required: true, Secret: true, Validate: ValidatePrivateKey),
        new(HostKey, "Host key", "The box's SSH host key (SHA256:… as ssh-keygen -l prints it); learned on first contact, a change stops every delivery.",
            Validate: ValidateHostKey),
        new(CertPath, "Certificate file", "Absolute path for the certificate alone (leaf); empty to skip.", Validate: ValidatePath),
        new(KeyPath, "Key file", "Absolute path for the private key; empty to skip.", Validate: ValidatePath),
        new(ChainPath, "Full chain file", "Absolute path for the certificate followed by its intermediates (nginx's ssl_certificate); empty to skip.",
            Validate: ValidatePath),
        new(Owner, "Owner", "user:group given to the files, for a service that reads them as another account; empty keeps the login account's.",
            Validate: ValidateOwner),
        new(KeyMode, "Key file mode", "Octal permissions of the key file.", Default: "0600", Validate: ValidateMode),
        new(CertMode, "Certificate file mode", "Octal permissions of the certificate and chain files.", Default: "0644", Validate: ValidateMode),
        new(ReloadCommand, "Reload command", "Run after the files are in place, e.g. nginx -s reload or systemctl reload nginx; a non-zero exit fails the delivery.",
            Validate: ValidateCommand),
        new(ConnectTimeout, "Connect timeout (s)", "Seconds to wait for the box to answer and log in.", Default: "15", Validate: ValidateSeconds),
        new(CommandTimeout, "Command timeout (s)", "Seconds the reload command may take.", Default: "60", Validate: ValidateSeconds),
    ];

    public static string? ValidateHost(string value) =>
        value.Length == 0 || Uri.CheckHostName(value.Trim()) != UriHostNameType.Unknown ? null : $"“{value}” is not a host name or IP address.";

    public static string? ValidatePort(string value) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? null
            : $"The port must be a number from 1 to 65535, not “{value}”.";

    public static string? ValidateUser(string value) =>
        value.Trim().Length == 0 ? "Give the account the panel logs in as."
        : AccountName().IsMatch(value.Trim()) ? null
        : $"“{value}” is not an account name (letters, digits, '.', '_' and '-', starting with a letter or '_').";

    public static string? ValidatePrivateKey(string value) =>
        value.Contains("PRIVATE KEY-----", StringComparison.Ordinal) ? null : "The login key must be a private key in OpenSSH or PEM format.";

    public static string? ValidateHostKey(string value) =>
        value.Length == 0 || HostKeyFingerprint().IsMatch(value.Trim())
            ? null
            : $"“{value}” is not a host key fingerprint: it reads SHA256: followed by 43 characters, as ssh-keygen -l -E sha256 prints it.";

    public static string? ValidatePath(string value)
    {
        value = value.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        if (!value.StartsWith('/'))
        {
            return $"“{value}” is not an absolute path: it must start with /.";
        }

        if (value.EndsWith('/'))
        {
            return $"“{value}” names a folder; give the file's path.";
        }

        if (value.Split('/').Any(part => part is "." or ".."))
        {
            return $"“{value}” contains . or ..; give the file's real path.";
        }

        return value.Any(char.IsControl) ? "The path contains a control character." : null;
    }

    public static string? ValidateOwner(string value)
    {
        value = value.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        var parts = value.Split(':');
        return parts.Length <= 2 && parts.All(p => AccountName().IsMatch(p) || (p.Length > 0 && p.All(char.IsAsciiDigit)))
            ? null
            : $"“{value}” is not user or user:group (names or numeric ids).";
    }

    public static string? ValidateMode(string value) =>
        ParseMode(value) is null ? $"“{value}” is not a file mode: give three or four octal digits such as 0600 or 644." : null;

    public static string? ValidateCommand(string value) =>
        value.Any(c => c is '\n' or '\r' or '\0') ? "The reload command must be one line." : null;

    public static string? ValidateSeconds(string value) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 600
            ? null
            : $"Give a number of seconds from 1 to 600, not “{value}”.";

    /// <summary>
    /// A file mode without set-id or sticky bits (a certificate file never needs them), as SSH.NET's ChangePermissions takes
    /// it: the octal digits read as a decimal number (0640 → 640).
    /// </summary>
    public static short? ParseMode(string value)
    {
        value = value.Trim();
        if (value.Length == 4 && value[0] == '0')
        {
            value = value[1..];
        }

        return value.Length == 3 && value.All(c => c is >= '0' and <= '7')
            ? short.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")]
    private static partial Regex AccountName();

    [GeneratedRegex("^SHA256:[A-Za-z0-9+/]{43}$")]
    private static partial Regex HostKeyFingerprint();
}

using System.Security.Cryptography;
using System.Text;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The one-time secret that lets the first visitor create the admin account. Printed only in the log, so
/// claiming a fresh panel needs access to the machine, not just to the LAN. 128 random bits: not guessable
/// in the life of the process.
/// </summary>
public sealed class SetupToken
{
    private readonly Lock _lock = new();
    private byte[]? _expected;

    /// <summary>Serialises account creation so two setup posts cannot both create an admin.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The token as printed (groups of 8 hex digits), or null when setup is not open.</summary>
    public string? Display { get; private set; }

    public bool IsOpen => Display is not null;

    internal string Open()
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_lock)
        {
            Display = string.Join('-', Enumerable.Range(0, 4).Select(i => hex.Substring(i * 8, 8)));
            _expected = Encoding.ASCII.GetBytes(hex);
            return Display;
        }
    }

    internal void Close()
    {
        lock (_lock)
        {
            Display = null;
            _expected = null;
        }
    }

    /// <summary>Constant-time comparison; spaces, dashes and letter case are forgiven because people copy it by hand.</summary>
    public bool Matches(string? presented)
    {
        byte[]? expected;
        lock (_lock)
        {
            expected = _expected;
        }

        if (expected is null || presented is null || presented.Length > 200)
        {
            return false;
        }

        var normalised = new string(presented.Where(c => c is not (' ' or '-' or '\t')).ToArray()).ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(normalised), expected);
    }
}

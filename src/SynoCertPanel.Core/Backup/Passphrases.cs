using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>The backup passphrase guards every private key in the file, offline, for as long as the file exists.</summary>
public static class Passphrases
{
    /// <summary>NIST SP 800-63B asks for at least 8; a backup can be attacked offline without limit, so ask for more.</summary>
    public const int MinLength = 12;

    public static Result<string> Check(string? passphrase)
    {
        var length = passphrase?.Length ?? 0;
        return length < MinLength
            ? Result.Failure<string>($"The backup passphrase has {length} characters; use at least {MinLength} (a few random words are easy to type and hard to guess).")
            : Result.Success(passphrase!);
    }
}

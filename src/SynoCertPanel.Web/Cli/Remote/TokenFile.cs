using System.Globalization;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// Reads the API token from its file. The token is never taken from the command line, where `ps` and the shell's
/// history would show it. Like ssh with a private key, a file that other users can read or change is refused: the
/// token may change certificates on the panel, and a shared file would hand that to everyone on the machine.
/// </summary>
internal static class TokenFile
{
    /// <summary>A token is about 50 characters; anything much longer is not a token file.</summary>
    private const int MaxBytes = 4096;

    private const UnixFileMode OthersMayUse = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static Result<string> Read(string path)
    {
        try
        {
            if (!Path.Exists(path))
            {
                return Fail($"The token file {Display.Literal(path, 200)} does not exist.");
            }

            // A pipe (--token-file <(pass show panel)) has the mode its creator gave it, 600 from a shell.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersMayUse) != 0)
            {
                var mode = Convert.ToString((int)File.GetUnixFileMode(path) & 0x1FF, 8).PadLeft(3, '0');
                return Fail($"The token file {Display.Literal(path, 200)} can be read or changed by other users (mode {mode}); "
                    + $"make it yours alone with `chmod 600 {Display.Literal(path, 200)}`, as ssh asks of a private key.");
            }

            using var stream = File.OpenRead(path);
            var buffer = new byte[MaxBytes + 1];
            var length = 0;
            int read;
            while (length <= MaxBytes && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaxBytes)
            {
                return Fail(string.Create(CultureInfo.InvariantCulture,
                    $"The token file {Display.Literal(path, 200)} is larger than {MaxBytes} bytes; it should hold one token (scp_…) and nothing else."));
            }

            var token = System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
            if (token.Length == 0)
            {
                return Fail($"The token file {Display.Literal(path, 200)} is empty; put the token (scp_…) in it.");
            }

            return token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > '~')
                ? Fail($"The token file {Display.Literal(path, 200)} holds more than one token: one line, no spaces, only the token (scp_…).")
                : Result.Success(token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"The token file {Display.Literal(path, 200)} cannot be read: {Display.Literal(e.Message, 200)}");
        }
    }

    private static Result<string> Fail(string message) => Result.Failure<string>(message);
}

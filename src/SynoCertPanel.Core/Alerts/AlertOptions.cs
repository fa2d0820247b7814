using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Alerts;

/// <summary>Checks the values given for an alert channel against the options it declares.</summary>
public static class AlertOptions
{
    /// <summary>
    /// Splits and checks values by the channel's options: unknown names, a secret given as a plain setting (or the
    /// reverse), missing required values, oversized values, each option's validator and the channel's rules across options
    /// are refused with a sentence. <paramref name="keptSecrets"/> are the secrets already stored (an edit that leaves a
    /// secret empty keeps it).
    /// </summary>
    public static Result<(Dictionary<string, string> Settings, Dictionary<string, string> Secrets)> Check(
        IAlertChannel channel,
        IReadOnlyDictionary<string, string>? settings,
        IReadOnlyDictionary<string, string>? secrets,
        IReadOnlyDictionary<string, string>? keptSecrets = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var options = channel.Options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var outSettings = new Dictionary<string, string>(StringComparer.Ordinal);
        var outSecrets = new Dictionary<string, string>(keptSecrets ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (given, secret) in (settings ?? new Dictionary<string, string>()).Select(p => (p, false))
            .Concat((secrets ?? new Dictionary<string, string>()).Select(p => (p, true))))
        {
            var name = given.Key.Trim().ToLowerInvariant();
            var value = (given.Value ?? string.Empty).Trim();
            if (!options.TryGetValue(name, out var option))
            {
                return Fail($"A {channel.Kind.Label()} channel has no option \"{Display.Literal(given.Key, 60)}\"; its options are {string.Join(", ", options.Keys)}.");
            }

            if (option.Secret != secret)
            {
                return Fail(option.Secret
                    ? $"The {option.Label.ToLowerInvariant()} is a secret: give it from a file (--{option.Name}-file) or the page's password field, never as plain text."
                    : $"The {option.Label.ToLowerInvariant()} is not a secret; give it as --{option.Name}.");
            }

            if (value.Length > AlertRules.MaxOptionLength)
            {
                return Fail($"The {option.Label.ToLowerInvariant()} is too long ({value.Length} characters; at most {AlertRules.MaxOptionLength}).");
            }

            if (value.Length == 0)
            {
                continue;
            }

            if (option.Validate?.Invoke(value) is { } problem)
            {
                return Fail(problem);
            }

            (secret ? outSecrets : outSettings)[name] = value;
        }

        foreach (var option in channel.Options.Where(o => o.Required))
        {
            var present = option.Secret ? outSecrets.ContainsKey(option.Name) : outSettings.ContainsKey(option.Name) || option.Default is not null;
            if (!present)
            {
                return Fail($"A {channel.Kind.Label()} channel needs the {option.Label.ToLowerInvariant()} (--{option.Name}{(option.Secret ? "-file" : string.Empty)}): {option.Help}");
            }
        }

        return channel.CheckTogether(WithDefaults(channel, outSettings), outSecrets) is { } together
            ? Fail(together)
            : Result.Success((outSettings, outSecrets));

        static Result<(Dictionary<string, string>, Dictionary<string, string>)> Fail(string error) =>
            Result.Failure<(Dictionary<string, string>, Dictionary<string, string>)>(error);
    }

    /// <summary>The stored settings with each option's default filled in, as a channel reads them.</summary>
    public static Dictionary<string, string> WithDefaults(IAlertChannel channel, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var all = new Dictionary<string, string>(settings, StringComparer.Ordinal);
        foreach (var option in channel.Options.Where(o => !o.Secret && o.Default is not null))
        {
            all.TryAdd(option.Name, option.Default!);
        }

        return all;
    }
}

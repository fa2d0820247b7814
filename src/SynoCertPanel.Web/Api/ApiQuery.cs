using System.Globalization;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// Query strings and route ids read by hand, so that every bad value is a 400 naming the parameter (model binding answers
/// a bare 400) and an unknown or repeated parameter is refused rather than ignored.
/// </summary>
internal static class ApiQuery
{
    /// <summary>Why the query is not one this call takes (a name it does not know, or one given twice), else null.</summary>
    public static string? Problem(IQueryCollection query, IReadOnlyCollection<string> known, string call)
    {
        ArgumentNullException.ThrowIfNull(query);
        var unknown = query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            return known.Count == 0
                ? $"There is no parameter \"{Display.Literal(unknown, 40)}\"; {call} takes none."
                : $"There is no parameter \"{Display.Literal(unknown, 40)}\"; {call} takes {string.Join(", ", known)}.";
        }

        var repeated = query.FirstOrDefault(p => p.Value.Count > 1).Key;
        return repeated is null ? null : $"\"{Display.Literal(repeated, 40)}\" is given more than once.";
    }

    public static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.ToString() : null;

    public static Result<bool> Flag(IQueryCollection query, string name) => Text(query, name) switch
    {
        null => Result.Success(false),
        { } text when bool.TryParse(text, out var value) => Result.Success(value),
        { } text => Result.Failure<bool>($"\"{name}\" must be true or false; \"{Display.Literal(text, 40)}\" was given."),
    };

    public static Result<int> Number(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = Text(query, name);
        if (text is null)
        {
            return Result.Success(fallback);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? Result.Success(value)
            : Result.Failure<int>(string.Create(CultureInfo.InvariantCulture,
                $"\"{name}\" must be a whole number from {min} to {max}; \"{Display.Literal(text, 40)}\" was given."));
    }

    /// <summary>
    /// A route's id, read as text so that "abc" is a 400 saying so, not a 404 from a route that did not match.
    /// <paramref name="what"/> names it in the sentence: "A certificate id".
    /// </summary>
    public static Result<int> Id(string id, string what) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? Result.Success(value)
            : Result.Failure<int>($"{what} is a whole number from 1 up; \"{Display.Literal(id, 40)}\" was given.");
}

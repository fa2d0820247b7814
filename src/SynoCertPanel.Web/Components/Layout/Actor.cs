using Microsoft.AspNetCore.Components.Authorization;

namespace SynoCertPanel.Web.Components.Layout;

/// <summary>The name the audit log records for operations started from a page.</summary>
public static class Actor
{
    public static async Task<string> NameAsync(Task<AuthenticationState>? state)
    {
        if (state is null)
        {
            return "unknown";
        }

        var user = (await state).User;
        return user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "unknown";
    }
}

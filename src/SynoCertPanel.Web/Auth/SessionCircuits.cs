using System.Collections.Concurrent;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The open Blazor circuits of every session, so a logout or a password change reaches them at once
/// instead of at their next periodic check.
/// </summary>
public sealed class SessionCircuits
{
    private readonly ConcurrentDictionary<CircuitAuthenticationStateProvider, (string UserId, string SessionId)> _open = new();

    /// <summary>Circuits whose session still counts.</summary>
    public int Count => _open.Count;

    public int CountForSession(string sessionId) => _open.Count(c => c.Value.SessionId == sessionId);

    internal void Add(CircuitAuthenticationStateProvider circuit, string userId, string sessionId) => _open[circuit] = (userId, sessionId);

    internal void Remove(CircuitAuthenticationStateProvider circuit) => _open.TryRemove(circuit, out _);

    internal void EndSession(string sessionId)
    {
        foreach (var (circuit, key) in _open)
        {
            if (key.SessionId == sessionId)
            {
                circuit.End();
            }
        }
    }

    internal Task RevalidateUserAsync(string userId, string? exceptSessionId) =>
        Task.WhenAll(_open.Where(c => c.Value.UserId == userId && c.Value.SessionId != exceptSessionId).Select(c => c.Key.RevalidateNowAsync()));
}

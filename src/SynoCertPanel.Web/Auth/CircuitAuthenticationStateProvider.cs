using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The signed-in user of one circuit. A circuit keeps the principal of the request that opened it, so without
/// this a tab left open would outlive a logout or a password change; here the session is checked again every
/// <see cref="Interval"/>, and at once when <see cref="SessionCircuits"/> passes on a logout or password change.
/// Once ended, the circuit stays signed out and <see cref="SessionCircuitHandler"/> drops whatever the browser still sends.
/// </summary>
public sealed class CircuitAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    /// <summary>The fallback for changes nothing announces (an account changed from the command line).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private readonly IServiceScopeFactory _scopes;
    private readonly SessionCircuits _circuits;
    private readonly IOptions<IdentityOptions> _identity;
    private volatile bool _ended;
    private bool _registered;

    public CircuitAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, SessionCircuits circuits, IOptions<IdentityOptions> identity)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _circuits = circuits;
        _identity = identity;
        AuthenticationStateChanged += OnChanged;
    }

    /// <summary>True once the session this circuit ran for was signed out or its password changed.</summary>
    public bool HasEnded => _ended;

    protected override TimeSpan RevalidationInterval => Interval;

    internal void End()
    {
        _ended = true;
        SetAuthenticationState(Task.FromResult(SignedOut));
    }

    internal async Task RevalidateNowAsync()
    {
        var state = await GetAuthenticationStateAsync().ConfigureAwait(false);
        if (state.User.Identity?.IsAuthenticated == true && !await ValidateAuthenticationStateAsync(state, CancellationToken.None).ConfigureAwait(false))
        {
            End();
        }
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        if (HasEnded)
        {
            return false;
        }

        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await scope.ServiceProvider.GetRequiredService<PanelSessions>().IsCurrentAsync(authenticationState.User, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        AuthenticationStateChanged -= OnChanged;
        _circuits.Remove(this);
        base.Dispose(disposing);
    }

    private void OnChanged(Task<AuthenticationState> task)
    {
        // The host sets a completed state when the circuit starts; the only later changes are to signed out.
        var user = task.IsCompletedSuccessfully ? task.Result.User : null;
        var userId = user?.FindFirstValue(_identity.Value.ClaimsIdentity.UserIdClaimType);
        var sessionId = user?.FindFirstValue(PanelClaims.SessionId);
        if (user?.Identity?.IsAuthenticated == true && userId is not null && sessionId is not null && !HasEnded)
        {
            _circuits.Add(this, userId, sessionId);
            _registered = true;
        }
        else if (_registered)
        {
            _ended = true;
            _circuits.Remove(this);
        }
    }
}

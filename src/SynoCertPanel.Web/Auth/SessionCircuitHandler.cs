using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Once a circuit's session has ended, nothing the browser sends (clicks, form input, script replies) reaches the
/// components any more: a modified page that ignores the reload to the login page can do nothing with the circuit.
/// </summary>
internal sealed class SessionCircuitHandler(AuthenticationStateProvider authentication) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => authentication is CircuitAuthenticationStateProvider { HasEnded: true } ? Task.CompletedTask : next(context);
}

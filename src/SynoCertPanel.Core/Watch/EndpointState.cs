namespace SynoCertPanel.Core.Watch;

/// <summary>
/// What an endpoint's probe means for its clients, in ascending order of severity, so "worst first" is a sort
/// on the value. Unreachable leads: every client fails and nothing else can be known. Expired, untrusted
/// and a name not covered each make browsers refuse the page; weak is refused by some clients (SHA-1 by all
/// browsers, TLS 1.0 by current ones); not-latest means a deploy did not land but clients still connect;
/// expiring is a warning that grows as thresholds pass (<see cref="EndpointFinding.Severity"/>).
/// </summary>
public enum EndpointState
{
    Ok = 0,
    Expiring = 1,
    NotLatest = 2,
    Weak = 3,
    NameNotCovered = 4,
    Untrusted = 5,
    Expired = 6,
    Unreachable = 7,
}

namespace SynoCertPanel.Web.Components.Alerts;

/// <summary>What a row of the alert channels table asks the page to do.</summary>
public enum AlertAction
{
    Test,
    Edit,
    Toggle,
    Delete,
}

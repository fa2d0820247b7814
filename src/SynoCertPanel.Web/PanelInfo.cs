namespace SynoCertPanel.Web;

/// <summary>What the app bar says about this box: its name (configurable as SynoCertPanel:BoxName, else the host name).</summary>
public sealed class PanelInfo(IConfiguration configuration)
{
    public string BoxName { get; } = configuration["SynoCertPanel:BoxName"] is { Length: > 0 } name ? name : Environment.MachineName;
}

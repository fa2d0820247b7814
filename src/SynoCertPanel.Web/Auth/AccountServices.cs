using Microsoft.AspNetCore.Identity;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Auth;

/// <summary>Identity's UserManager over a data directory without the web host, for the command line.</summary>
public static class AccountServices
{
    public static ServiceProvider Build(DataDirectory data, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(data);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time);
        services.AddDbContext<AccountsDbContext>(options => AccountsDbContext.Configure(options, data.ConnectionString));
        services.AddIdentityCore<IdentityUser>(PanelIdentityOptions.Apply).AddEntityFrameworkStores<AccountsDbContext>();
        return services.BuildServiceProvider();
    }
}

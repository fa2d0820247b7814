using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SynoCertPanel.Web.Auth;

/// <summary>Lets `dotnet ef migrations add --context AccountsDbContext` build the model without starting the panel.</summary>
internal sealed class AccountsDesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AccountsDbContext>();
        AccountsDbContext.ConfigureForDesign(builder, "Data Source=design-time.db");
        return new AccountsDbContext(builder.Options);
    }
}

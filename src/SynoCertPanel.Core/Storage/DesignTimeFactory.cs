using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SynoCertPanel.Core.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the panel.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PanelDbContext>
{
    public PanelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PanelDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LeadSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Leads.LeadSearch.CreateSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Leads.LeadSearch.DropSql);
        }
    }
}

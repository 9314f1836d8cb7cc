using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class LeadClosedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            // Leads closed before the column existed: the last time they changed is the best guess of when.
            migrationBuilder.Sql("""UPDATE "Leads" SET "ClosedAt" = "UpdatedAt" WHERE "Status" IN ('Converted', 'Lost')""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "Leads");
        }
    }
}

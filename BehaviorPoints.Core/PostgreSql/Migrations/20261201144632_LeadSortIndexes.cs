using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class LeadSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_BehaviorPoints",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_LastActivityAt",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_BehaviorPoints_Id",
                table: "Leads",
                columns: new[] { "BehaviorPoints", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_LastActivityAt_Id",
                table: "Leads",
                columns: new[] { "LastActivityAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_BehaviorPoints_Id",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_LastActivityAt_Id",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_BehaviorPoints",
                table: "Leads",
                column: "BehaviorPoints");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_LastActivityAt",
                table: "Leads",
                column: "LastActivityAt");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LeadJobRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LeadJobRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Job = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    LastLeadId = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadJobRuns", x => x.Id);
                });

            // Re-score runs become runs of the "rescore" job (an unfinished one continues after the upgrade). A fit
            // recompute left unfinished by the release before (it resumed by each lead's fit version) becomes a run too.
            migrationBuilder.Sql("""
                INSERT INTO "LeadJobRuns" ("Id", "Job", "Version", "StartedAt", "StartedBy", "Total", "Done", "LastLeadId", "FinishedAt")
                SELECT "Id", 'rescore', "Version", "StartedAt", "StartedBy", "Total", "Done", "LastLeadId", "FinishedAt" FROM "RescoreRuns";
                INSERT INTO "LeadJobRuns" ("Job", "Version", "StartedAt", "StartedBy", "Total", "Done", "LastLeadId")
                SELECT 'fit', m."PublishedVersion", datetime('now'), NULL, (SELECT COUNT(*) FROM "Leads"), 0, 0
                FROM "FitModels" m
                WHERE m."PublishedVersion" IS NOT NULL
                  AND EXISTS (SELECT 1 FROM "Leads" l WHERE l."FitVersion" IS NULL OR l."FitVersion" <> m."PublishedVersion");
                """);

            migrationBuilder.DropTable(
                name: "RescoreRuns");

            migrationBuilder.CreateIndex(
                name: "IX_LeadJobRuns_Job_FinishedAt",
                table: "LeadJobRuns",
                columns: new[] { "Job", "FinishedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RescoreRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastLeadId = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RescoreRuns", x => x.Id);
                });

            migrationBuilder.Sql("""
                INSERT INTO "RescoreRuns" ("Id", "Version", "StartedAt", "StartedBy", "Total", "Done", "LastLeadId", "FinishedAt")
                SELECT "Id", "Version", "StartedAt", "StartedBy", "Total", "Done", "LastLeadId", "FinishedAt" FROM "LeadJobRuns" WHERE "Job" = 'rescore';
                """);

            migrationBuilder.DropTable(
                name: "LeadJobRuns");

            migrationBuilder.CreateIndex(
                name: "IX_RescoreRuns_FinishedAt",
                table: "RescoreRuns",
                column: "FinishedAt");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CategoriesAndStages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Category",
                table: "SupersededScoreEntries",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Category",
                table: "ScoreEntries",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StageVisit",
                table: "ScoreEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "Leads",
                type: "TEXT",
                maxLength: 60,
                nullable: false,
                defaultValue: "New");

            migrationBuilder.AddColumn<DateTime>(
                name: "StageEnteredAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StageScore",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "StageVisit",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Without a rowid: the table is its primary key, so adding to a lead's score in a category writes two
            // B-trees (the key and the (Category, Points) index), not three. Ingest adds to these rows constantly.
            migrationBuilder.Sql("""
                CREATE TABLE "LeadCategoryScores" (
                    "LeadId" INTEGER NOT NULL,
                    "Category" TEXT NOT NULL,
                    "Points" INTEGER NOT NULL,
                    CONSTRAINT "PK_LeadCategoryScores" PRIMARY KEY ("LeadId", "Category"),
                    CONSTRAINT "FK_LeadCategoryScores_Leads_LeadId" FOREIGN KEY ("LeadId") REFERENCES "Leads" ("Id") ON DELETE CASCADE
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateTable(
                name: "StageChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<long>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    From = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Visit = table.Column<int>(type: "INTEGER", nullable: false),
                    PointsEarned = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Threshold = table.Column<long>(type: "INTEGER", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StageChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StageChanges_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Stage",
                table: "Leads",
                column: "Stage");

            migrationBuilder.CreateIndex(
                name: "IX_LeadCategoryScores_Category_Points",
                table: "LeadCategoryScores",
                columns: new[] { "Category", "Points" });

            migrationBuilder.CreateIndex(
                name: "IX_StageChanges_ChangedAt_TeamId",
                table: "StageChanges",
                columns: new[] { "ChangedAt", "TeamId" });

            migrationBuilder.CreateIndex(
                name: "IX_StageChanges_LeadId_Visit",
                table: "StageChanges",
                columns: new[] { "LeadId", "Visit" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LeadCategoryScores");

            migrationBuilder.DropTable(
                name: "StageChanges");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Stage",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Category",
                table: "SupersededScoreEntries");

            migrationBuilder.DropColumn(
                name: "Category",
                table: "ScoreEntries");

            migrationBuilder.DropColumn(
                name: "StageVisit",
                table: "ScoreEntries");

            migrationBuilder.DropColumn(
                name: "Stage",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "StageEnteredAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "StageScore",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "StageVisit",
                table: "Leads");
        }
    }
}

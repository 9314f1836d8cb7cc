using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
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
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Category",
                table: "ScoreEntries",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StageVisit",
                table: "ScoreEntries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "Leads",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "New");

            migrationBuilder.AddColumn<DateTime>(
                name: "StageEnteredAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StageScore",
                table: "Leads",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "StageVisit",
                table: "Leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "LeadCategoryScores",
                columns: table => new
                {
                    LeadId = table.Column<long>(type: "bigint", nullable: false),
                    Category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Points = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadCategoryScores", x => new { x.LeadId, x.Category });
                    table.ForeignKey(
                        name: "FK_LeadCategoryScores_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StageChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LeadId = table.Column<long>(type: "bigint", nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: true),
                    From = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    To = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Visit = table.Column<int>(type: "integer", nullable: false),
                    PointsEarned = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Threshold = table.Column<long>(type: "bigint", nullable: true),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

DROP INDEX `people_user_name_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `people_user_name_lower_unique` ON `people` (lower("user_name"));
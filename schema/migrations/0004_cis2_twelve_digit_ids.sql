-- CONTRACT §8: person_orgid and person_roleid become 12-digit numeric strings, as in NHS CIS2.
-- Each stored id that is not yet 12 digits gets a random one (first digit 1-9) through a mapping
-- table whose UNIQUE constraint refuses a duplicate draw: INSERT OR IGNORE skips a colliding draw
-- and the next pass draws again. Three passes leave nothing unmapped in practice; if anything were,
-- the guard below fails the batch, so the migration applies whole or not at all.
-- Sessions' and grants' selected_roleid live in Durable Objects for hours at most and are not
-- migrated: a stale one is no longer a role the person holds, so it is not released and the
-- person is asked to choose again.
CREATE TEMP TABLE `__cis2_id_map` (
  `kind` text NOT NULL,
  `old_id` text NOT NULL,
  `new_id` text NOT NULL,
  PRIMARY KEY(`kind`, `old_id`),
  UNIQUE(`kind`, `new_id`)
);
--> statement-breakpoint
INSERT INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'org', `id`, `id` FROM `person_organisations` WHERE `id` GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
--> statement-breakpoint
INSERT OR IGNORE INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'org', `id`, CAST(100000000000 + abs(random() % 900000000000) AS text) FROM `person_organisations`;
--> statement-breakpoint
INSERT OR IGNORE INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'org', `id`, CAST(100000000000 + abs(random() % 900000000000) AS text) FROM `person_organisations`;
--> statement-breakpoint
INSERT OR IGNORE INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'org', `id`, CAST(100000000000 + abs(random() % 900000000000) AS text) FROM `person_organisations`;
--> statement-breakpoint
INSERT INTO `organisations` (`org_code`, `org_name`)
  SELECT '__cis2_id_migration_incomplete', NULL
  WHERE EXISTS (SELECT 1 FROM `person_organisations` t WHERE NOT EXISTS (SELECT 1 FROM `__cis2_id_map` m WHERE m.`kind` = 'org' AND m.`old_id` = t.`id`));
--> statement-breakpoint
UPDATE `person_organisations` SET `id` = (SELECT m.`new_id` FROM `__cis2_id_map` m WHERE m.`kind` = 'org' AND m.`old_id` = `person_organisations`.`id`);
--> statement-breakpoint
INSERT INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'role', `id`, `id` FROM `role_assignments` WHERE `id` GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
--> statement-breakpoint
INSERT OR IGNORE INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'role', `id`, CAST(100000000000 + abs(random() % 900000000000) AS text) FROM `role_assignments`;
--> statement-breakpoint
INSERT OR IGNORE INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'role', `id`, CAST(100000000000 + abs(random() % 900000000000) AS text) FROM `role_assignments`;
--> statement-breakpoint
INSERT OR IGNORE INTO `__cis2_id_map` (`kind`, `old_id`, `new_id`)
  SELECT 'role', `id`, CAST(100000000000 + abs(random() % 900000000000) AS text) FROM `role_assignments`;
--> statement-breakpoint
INSERT INTO `organisations` (`org_code`, `org_name`)
  SELECT '__cis2_id_migration_incomplete', NULL
  WHERE EXISTS (SELECT 1 FROM `role_assignments` t WHERE NOT EXISTS (SELECT 1 FROM `__cis2_id_map` m WHERE m.`kind` = 'role' AND m.`old_id` = t.`id`));
--> statement-breakpoint
UPDATE `role_assignments` SET `id` = (SELECT m.`new_id` FROM `__cis2_id_map` m WHERE m.`kind` = 'role' AND m.`old_id` = `role_assignments`.`id`);
--> statement-breakpoint
DROP TABLE `__cis2_id_map`;

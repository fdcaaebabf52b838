// Discord's permission algorithm (base role permissions, then channel overwrites), so that
// `app_permissions` / `member.permissions` in interactions agree with what discord.js computes
// from the cached guild via `channel.permissionsFor(member)`.
import { PermissionFlagsBits } from "discord.js";
import type { World } from "./world.ts";
import { channelById, guildOf } from "./world.ts";

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** In the channel's guild (if the channel is known), else in `guildId`'s, else in the first guild. */
export function computePermissions(world: World, userId: string, channelId?: string, guildId?: string): bigint {
  if (userId === world.ownerId) return ALL_PERMISSIONS;
  const guild = guildOf(world, { channelId, guildId });
  const memberRoles = guild.memberRoles.get(userId) ?? [];
  let perms = 0n;
  for (const role of guild.roles) {
    if (role.id === guild.id || memberRoles.includes(role.id)) perms |= BigInt(role.permissions);
  }
  if (perms & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;

  const channel = channelId ? channelById(world, channelId) : undefined;
  if (!channel) return perms;
  const overwrites = channel.permission_overwrites;
  const apply = (allow: bigint, deny: bigint) => {
    perms = (perms & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && memberRoles.includes(o.id)) {
      roleAllow |= BigInt(o.allow);
      roleDeny |= BigInt(o.deny);
    }
  }
  apply(roleAllow, roleDeny);
  const member = overwrites.find((o) => o.type === 1 && o.id === userId);
  if (member) apply(BigInt(member.allow), BigInt(member.deny));
  return perms;
}

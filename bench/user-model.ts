/**
 * Per-user attributes, computed from (seed, user_id) by hashing rather than stored, so the events
 * generator and the users generator agree on every user without sharing state, at any scale.
 * Also maps Zipf activity ranks to user ids: rank 0 (the most active user) is not user 1.
 */
import { AliasTable } from './alias-table.js';
import {
  AB_GROUP_WEIGHTS,
  BROWSER_WEIGHTS_BY_OS,
  COUNTRY_WEIGHTS,
  DEVICE_WEIGHTS,
  OS_WEIGHTS_BY_DEVICE,
  PLAN_WEIGHTS,
} from './events-dictionaries.js';
import { hashUnit } from './random.js';
import { DAY_MS } from './seasonality.js';

// Salts keep each attribute's hash independent of the others.
const Salt = { country: 1, plan: 2, abGroup: 3, device: 4, os: 5, browser: 6, signup: 7, signupRecent: 8 } as const;

/** Multipliers that permute ranks into ids; all prime, so one of them is coprime with any count. */
const RANK_MULTIPLIERS = [1_000_003, 1_000_033, 1_000_037];

/** Users sign up over this many days before the window, or during the window. */
const SIGNUP_HISTORY_DAYS = 730;
const SIGNUP_DURING_WINDOW_SHARE = 0.2;

const countries = new AliasTable(COUNTRY_WEIGHTS);
const plans = new AliasTable(PLAN_WEIGHTS);
const abGroups = new AliasTable(AB_GROUP_WEIGHTS);
const devices = new AliasTable(DEVICE_WEIGHTS);
const osByDevice = OS_WEIGHTS_BY_DEVICE.map((w) => new AliasTable(w));
const browserByOs = BROWSER_WEIGHTS_BY_OS.map((w) => new AliasTable(w));

export function osTableForDevice(device: number): AliasTable {
  return osByDevice[device] as AliasTable;
}

export function browserTableForOs(os: number): AliasTable {
  return browserByOs[os] as AliasTable;
}

export class UserModel {
  readonly seed: number;
  readonly users: number;
  private readonly multiplier: number;

  constructor(seed: number, users: number) {
    this.seed = seed >>> 0;
    this.users = users;
    this.multiplier = RANK_MULTIPLIERS.find((m) => users % m !== 0) as number;
  }

  /** The user id (1..users) of the user with activity rank `rank` (0 = most active). */
  userIdOfRank(rank: number): number {
    return 1 + ((rank * this.multiplier) % this.users);
  }

  /** Index into COUNTRIES; never 0 (NULL). */
  homeCountry(userId: number): number {
    return countries.sample(hashUnit(this.seed, userId, Salt.country));
  }

  /** Index into PLANS. */
  plan(userId: number): number {
    return plans.sample(hashUnit(this.seed, userId, Salt.plan));
  }

  /** Index into AB_GROUPS. */
  abGroup(userId: number): number {
    return abGroups.sample(hashUnit(this.seed, userId, Salt.abGroup));
  }

  /** Index into DEVICES: the device the user mostly uses. */
  primaryDevice(userId: number): number {
    return devices.sample(hashUnit(this.seed, userId, Salt.device));
  }

  /** Index into OPERATING_SYSTEMS, consistent with the primary device. */
  primaryOs(userId: number): number {
    return osTableForDevice(this.primaryDevice(userId)).sample(hashUnit(this.seed, userId, Salt.os));
  }

  /** Index into BROWSERS, consistent with the primary operating system. */
  primaryBrowser(userId: number): number {
    return browserTableForOs(this.primaryOs(userId)).sample(hashUnit(this.seed, userId, Salt.browser));
  }

  /** Signup day (days since 1970-01-01): mostly in the two years before the window, some during it. */
  signupDay(userId: number, windowStartMs: number, windowEndMs: number): number {
    const firstWindowDay = Math.floor(windowStartMs / DAY_MS);
    const windowDays = Math.max(1, Math.floor((windowEndMs - windowStartMs) / DAY_MS));
    const u = hashUnit(this.seed, userId, Salt.signup);
    const v = hashUnit(this.seed, userId, Salt.signupRecent);
    if (u < SIGNUP_DURING_WINDOW_SHARE) return firstWindowDay + Math.floor(v * windowDays);
    return firstWindowDay - 1 - Math.floor(v * SIGNUP_HISTORY_DAYS);
  }
}

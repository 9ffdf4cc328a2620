/**
 * The value vocabularies of the events dataset and their skew. Low-cardinality text columns are
 * generated as codes into these lists; text appears only in the output adapters. Weights are
 * relative; order matters only for Zipf-ranked lists (most frequent first).
 */

/** Event types; the purchase funnel is page_view -> view_item -> add_to_cart -> begin_checkout -> purchase. */
export const EVENT_TYPES = [
  'page_view',
  'view_item',
  'click',
  'scroll',
  'add_to_cart',
  'search',
  'video_play',
  'begin_checkout',
  'form_submit',
  'login',
  'purchase',
  'share',
  'signup',
  'add_to_wishlist',
  'remove_from_cart',
  'view_promotion',
  'download',
  'error',
  'logout',
  'notification_open',
] as const;

export const EventType = {
  pageView: 0,
  viewItem: 1,
  click: 2,
  scroll: 3,
  addToCart: 4,
  search: 5,
  videoPlay: 6,
  beginCheckout: 7,
  formSubmit: 8,
  login: 9,
  purchase: 10,
  share: 11,
  signup: 12,
  addToWishlist: 13,
  removeFromCart: 14,
  viewPromotion: 15,
  download: 16,
  error: 17,
  logout: 18,
  notificationOpen: 19,
} as const;

/** Browsing events (outside the funnel), most frequent first: drawn Zipf-skewed. */
export const BROWSING_EVENT_TYPES: readonly number[] = [
  EventType.pageView,
  EventType.click,
  EventType.scroll,
  EventType.search,
  EventType.videoPlay,
  EventType.formSubmit,
  EventType.login,
  EventType.share,
  EventType.signup,
  EventType.addToWishlist,
  EventType.removeFromCart,
  EventType.viewPromotion,
  EventType.download,
  EventType.error,
  EventType.logout,
  EventType.notificationOpen,
];

/** Mean time spent (duration_ms) per event type, in the order of EVENT_TYPES. */
export const MEAN_DURATION_MS: readonly number[] = [
  32_000, 41_000, 400, 6_000, 1_200, 9_000, 95_000, 15_000, 2_500, 3_000, 4_000, 800, 20_000, 700, 600,
  5_000, 1_500, 300, 500, 2_000,
];

const NAMED_PAGES = [
  '/',
  '/pricing',
  '/search',
  '/blog',
  '/docs',
  '/cart',
  '/login',
  '/signup',
  '/checkout',
  '/checkout/complete',
  '/account',
  '/account/orders',
  '/docs/install',
  '/docs/api',
  '/docs/faq',
  '/blog/launch',
  '/blog/changelog',
  '/blog/engineering',
  '/about',
  '/contact',
  '/careers',
  '/help',
  '/help/shipping',
  '/help/returns',
  '/deals',
  '/new',
  '/gift-cards',
  '/wishlist',
  '/stores',
  '/terms',
  '/privacy',
  '/press',
  '/partners',
  '/affiliates',
  '/status',
  '/sitemap',
  '/account/settings',
  '/account/addresses',
  '/docs/sdk',
  '/blog/guides',
];

const CATEGORIES = [
  'shoes', 'shirts', 'jackets', 'bags', 'watches', 'phones', 'laptops', 'audio', 'cameras', 'games',
  'books', 'kitchen', 'garden', 'toys', 'beauty', 'sports', 'outdoor', 'office', 'pets', 'music',
];

/** Number of products; product n (1-based) has the page /product/n and item_id n. */
export const PRODUCT_COUNT = 440;

/** ~500 paths: named pages, category pages, then product pages (Zipf rank order). */
export const PAGES: readonly string[] = [
  ...NAMED_PAGES,
  ...CATEGORIES.map((c) => `/category/${c}`),
  ...Array.from({ length: PRODUCT_COUNT }, (_, i) => `/product/${i + 1}`),
];

export const PAGE_PRODUCT_BASE = NAMED_PAGES.length + CATEGORIES.length;
export const Page = {
  home: 0,
  search: 2,
  cart: 5,
  login: 6,
  signup: 7,
  checkout: 8,
  checkoutComplete: 9,
} as const;

/** Entry referrers; index 0 is NULL (direct traffic). */
export const REFERRERS: readonly (string | null)[] = [
  null,
  'https://www.google.com/',
  'https://www.facebook.com/',
  'https://t.co/',
  'https://www.bing.com/',
  'https://www.reddit.com/',
  'https://www.instagram.com/',
  'https://www.youtube.com/',
  'https://duckduckgo.com/',
  'https://www.linkedin.com/',
  'https://mail.google.com/',
  'https://news.ycombinator.com/',
  'https://github.com/',
  'https://search.yahoo.com/',
  'https://www.pinterest.com/',
];
export const REFERRER_WEIGHTS = [30, 34, 5, 4, 3, 3, 3, 2.5, 2, 2, 2, 1.5, 1.5, 1, 1];

/** ISO 3166-1 alpha-2 codes with a skewed share of traffic; index 0 is NULL (unknown location). */
export const COUNTRIES: readonly (string | null)[] = [
  null, 'US', 'IN', 'GB', 'DE', 'BR', 'FR', 'CA', 'JP', 'ES', 'IT', 'MX', 'AU', 'NL', 'KR', 'ID', 'TR',
  'PL', 'SE', 'AR', 'ZA', 'NG', 'PH', 'VN', 'EG', 'SA', 'CH', 'BE', 'AT', 'DK', 'NO', 'FI', 'IE', 'PT',
  'CZ', 'RO', 'IL', 'SG', 'NZ', 'CL', 'CO', 'UA',
];
/** Home-country weights of users (no NULL: a user's home is known; sessions may lose it). */
export const COUNTRY_WEIGHTS = [
  0, 22, 10, 6, 6, 5, 4, 4, 3.5, 3, 3, 3, 2.5, 2, 2, 2, 1.8, 1.6, 1.4, 1.3, 1.2, 1.2, 1.2, 1.1, 1, 1,
  0.9, 0.9, 0.8, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5,
];

export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
export const DEVICE_WEIGHTS = [52, 41, 7];

export const OPERATING_SYSTEMS = ['Windows', 'macOS', 'Linux', 'ChromeOS', 'Android', 'iOS', 'iPadOS'] as const;
/** Operating system weights given the device, rows in the order of DEVICES. */
export const OS_WEIGHTS_BY_DEVICE: readonly (readonly number[])[] = [
  [62, 27, 6, 5, 0, 0, 0],
  [0, 0, 0, 0, 58, 42, 0],
  [0, 0, 0, 0, 40, 0, 60],
];

export const BROWSERS = [
  'Chrome', 'Safari', 'Firefox', 'Edge', 'Opera', 'Samsung Internet',
  'Googlebot', 'bingbot', 'HeadlessChrome', 'python-requests',
] as const;
/** Browser weights given the operating system, rows in the order of OPERATING_SYSTEMS. */
export const BROWSER_WEIGHTS_BY_OS: readonly (readonly number[])[] = [
  [68, 0, 9, 20, 3, 0, 0, 0, 0, 0],
  [50, 40, 7, 3, 0, 0, 0, 0, 0, 0],
  [60, 0, 35, 0, 5, 0, 0, 0, 0, 0],
  [100, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [75, 0, 4, 0, 3, 18, 0, 0, 0, 0],
  [13, 85, 2, 0, 0, 0, 0, 0, 0, 0],
  [10, 90, 0, 0, 0, 0, 0, 0, 0, 0],
];
/** Browsers of bot sessions (always desktop Linux). */
export const BOT_BROWSER_WEIGHTS = [0, 0, 0, 0, 0, 0, 40, 20, 25, 15];
export const Os = { linux: 2 } as const;
export const Device = { desktop: 0 } as const;

export const PLANS = ['free', 'basic', 'pro', 'team', 'enterprise'] as const;
export const PLAN_WEIGHTS = [60, 20, 13, 5, 2];

export const AB_GROUPS = ['A', 'B', 'control'] as const;
export const AB_GROUP_WEIGHTS = [45, 45, 10];

// Public read access to what the benchmark reads, set on every start (not by hand in the admin).
const PUBLIC_ACTIONS = [
  ...['article', 'author', 'tag', 'section'].flatMap((name) => [
    `api::${name}.${name}.find`,
    `api::${name}.${name}.findOne`,
  ]),
  'plugin::upload.content-api.find',
  'plugin::upload.content-api.findOne',
];

module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    const role = await strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'public' } });
    const permissions = strapi.db.query('plugin::users-permissions.permission');
    const granted = await permissions.findMany({
      where: { role: role.id, action: { $in: PUBLIC_ACTIONS } },
    });
    const have = new Set(granted.map((permission) => permission.action));
    for (const action of PUBLIC_ACTIONS.filter((name) => !have.has(name))) {
      await permissions.create({ data: { action, role: role.id } });
    }
  },
};

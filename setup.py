"""Package set-up, driven by settings.ini (nbdev 2 layout). No pkg_resources: setuptools >= 81 has none."""
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable']
lic = licenses[cfg['license']]

def reqs(key): return cfg.get(key, '').split()

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    author=cfg['author'],
    author_email=cfg['author_email'],
    url=cfg['git_url'],
    license=lic[0],
    keywords=cfg['keywords'].split(),
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])], 'Intended Audience :: ' + cfg['audience'],
                 'License :: ' + lic[1], 'Natural Language :: ' + cfg['language'],
                 'Programming Language :: Python :: 3.11'],
    packages=setuptools.find_packages(include=['fam_nb', 'fam_nb.*']),
    include_package_data=True,
    python_requires='>=' + cfg['min_python'],
    install_requires=reqs('requirements'),
    extras_require={'dev': reqs('dev_requirements')},
    entry_points={'console_scripts': cfg['console_scripts'].split(),
                  'nbdev': [f"{cfg['lib_name']}={cfg['lib_name']}._modidx:d"]},
    zip_safe=False,
)

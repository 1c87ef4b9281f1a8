/**
 * The generator's own tables of names per nationality. Each entry lists the ways one name is written: the
 * first form is how the person's first report writes it; the others are transliterations, spellings with or
 * without diacritics written out, and the name in its own script. Kept apart from the normaliser's tables
 * (libs/pseudonymisation): a generator that shared them would grade itself.
 */
export interface NationalityNames {
  code: string;
  female: string[][];
  male: string[][];
  family: string[][];
  /** Family name written first in the culture (Hungarian, Vietnamese). */
  familyFirst?: boolean;
  /** Family names that change with sex (Polish -ski/-ska, Bulgarian -ov/-ova): female form derived. */
  femaleFamily?: (family: string) => string;
}

export const NATIONALITIES: NationalityNames[] = [
  {
    code: 'PL',
    female: [['Agnieszka'], ['Małgorzata', 'Malgorzata'], ['Katarzyna'], ['Anna'], ['Zofia'], ['Joanna']],
    male: [['Łukasz', 'Lukasz'], ['Paweł', 'Pawel'], ['Wojciech', 'Voytek'], ['Michał', 'Michal'], ['Piotr']],
    family: [
      ['Kowalski'],
      ['Wiśniewski', 'Wisniewski'],
      ['Wójcik', 'Wojcik'],
      ['Szymański', 'Szymanski'],
      ['Dąbrowski', 'Dabrowski'],
      ['Lewandowski'],
      ['Zieliński', 'Zielinski'],
    ],
    femaleFamily: (f) => f.replace(/ski$/, 'ska'),
  },
  {
    code: 'NG',
    female: [['Chioma'], ['Ngozi'], ['Blessing'], ['Oluwaseun', 'Oluseun'], ['Adaeze'], ['Precious']],
    male: [
      ['Chukwuemeka', 'Chukwuemeka'],
      ['Oluwadamilare', 'Damilare'],
      ['Emeka'],
      ['Tunde'],
      ['Ikechukwu'],
    ],
    family: [
      ['Okafor'],
      ['Adeyemi'],
      ['Okonkwo'],
      ['Chukwuemeka-Okafor', 'Chukwuemeka Okafor'],
      ['Eze'],
      ['Nwosu'],
      ['Oyelaran', 'Oyelaran'],
      ['Abubakar', 'Aboubakar'],
    ],
  },
  {
    code: 'NL',
    female: [['Sanne'], ['Femke'], ['Anouk'], ['Lieke'], ['Iris']],
    male: [['Daan'], ['Sem'], ['Bram'], ['Jeroen'], ['Thijs']],
    family: [
      ['van der Berg', 'Van der Berg', 'v.d. Berg'],
      ['de Vries', 'De Vries'],
      ['Jansen'],
      ['van Dijk', 'Van Dijk'],
      ['Bakker'],
      ['de Jong', 'De Jong'],
    ],
  },
  {
    code: 'BG',
    female: [
      ['Мария', 'Maria', 'Mariya'],
      ['Йорданка', 'Yordanka', 'Iordanka'],
      ['Десислава', 'Desislava'],
      ['Цветелина', 'Tsvetelina', 'Cvetelina'],
    ],
    male: [
      ['Георги', 'Georgi'],
      ['Димитър', 'Dimitar', 'Dimitur'],
      ['Христо', 'Hristo', 'Khristo'],
      ['Стоян', 'Stoyan', 'Stojan'],
    ],
    family: [
      ['Йорданов', 'Yordanov', 'Iordanov'],
      ['Петров', 'Petrov'],
      ['Стоянов', 'Stoyanov', 'Stojanov'],
      ['Христов', 'Hristov', 'Khristov'],
      ['Желев', 'Zhelev', 'Jelev'],
    ],
    femaleFamily: (f) => (/[a-zа-я]$/i.test(f) ? `${f}${/[а-я]$/.test(f) ? 'а' : 'a'}` : f),
  },
  {
    code: 'HU',
    female: [['Katalin'], ['Erzsébet', 'Erzsebet'], ['Zsófia', 'Zsofia'], ['Eszter']],
    male: [['László', 'Laszlo'], ['György', 'Gyorgy'], ['István', 'Istvan'], ['Ferenc']],
    family: [['Nagy'], ['Kovács', 'Kovacs'], ['Szabó', 'Szabo'], ['Horváth', 'Horvath'], ['Tóth', 'Toth']],
    familyFirst: true,
  },
  {
    code: 'RO',
    female: [['Ioana'], ['Andreea'], ['Mihaela'], ['Ștefania', 'Stefania']],
    male: [['Ștefan', 'Stefan'], ['Gheorghe', 'Gheorghe'], ['Ionuț', 'Ionut'], ['Mihai']],
    family: [['Popescu'], ['Ionescu'], ['Țepeș', 'Tepes'], ['Gheorghiță', 'Gheorghita'], ['Dumitrescu']],
  },
  {
    code: 'UA',
    female: [
      ['Юлія', 'Yuliia', 'Yulia', 'Iuliia'],
      ['Оксана', 'Oksana'],
      ['Олена', 'Olena'],
      ['Наталія', 'Nataliia', 'Natalia'],
    ],
    male: [
      ['Олександр', 'Oleksandr', 'Aleksandr'],
      ['Андрій', 'Andrii', 'Andriy'],
      ['Сергій', 'Serhii', 'Sergiy'],
      ['Дмитро', 'Dmytro'],
    ],
    family: [
      ['Шевченко', 'Shevchenko', 'Sevcenko'],
      ['Коваленко', 'Kovalenko'],
      ['Бондаренко', 'Bondarenko'],
      ['Ткаченко', 'Tkachenko', 'Tkatchenko'],
    ],
  },
  {
    code: 'VN',
    female: [['Thị Lan', 'Thi Lan'], ['Thị Hương', 'Thi Huong'], ['Ngọc Anh', 'Ngoc Anh'], ['Thu Trang']],
    male: [['Văn Minh', 'Van Minh'], ['Đức Anh', 'Duc Anh'], ['Quốc Huy', 'Quoc Huy'], ['Minh Khai']],
    family: [
      ['Nguyễn', 'Nguyen'],
      ['Trần', 'Tran'],
      ['Lê', 'Le'],
      ['Phạm', 'Pham'],
      ['Hoàng', 'Hoang'],
    ],
    familyFirst: true,
  },
  {
    code: 'MA',
    female: [
      ['Fatima', 'Fatma', 'فاطمة'],
      ['Khadija', 'Khadidja', 'Hadija'],
      ['Amina', 'Aminah'],
      ['Zineb', 'Zaynab', 'Zainab'],
    ],
    male: [
      ['Mohammed', 'Mohamed', 'Muhammad', 'Mohamad', 'محمد'],
      ['Youssef', 'Yusuf', 'Yousef'],
      ['Abdelkader', 'Abd el-Kader'],
      ['Rachid', 'Rashid'],
    ],
    family: [
      ['El Amrani', 'Elamrani', 'Al-Amrani'],
      ['Benali', 'Ben Ali'],
      ['Bouzid'],
      ['El Idrissi', 'Idrissi'],
      ['Haddad', 'حداد'],
    ],
  },
  {
    code: 'SY',
    female: [
      ['Noor', 'Nour', 'Nur'],
      ['Layla', 'Leila', 'Laila'],
      ['Rania', 'Ranya'],
      ['Huda', 'Hoda'],
    ],
    male: [
      ['Ahmad', 'Ahmed', 'أحمد'],
      ['Khaled', 'Khalid', 'Chaled'],
      ['Omar', 'Umar'],
      ['Mohammed', 'Muhammad', 'Mohamed'],
    ],
    family: [
      ['Al-Hassan', 'Alhassan', 'El Hassan'],
      ['Haddad'],
      ['Al-Khatib', 'Alkhatib', 'El Khatib'],
      ['Mansour', 'Mansur'],
      ['Kassab', 'Qassab'],
    ],
  },
  {
    code: 'ER',
    female: [['Semhar'], ['Helen'], ['Yodit', 'Yoditi'], ['Selam', 'Salam']],
    male: [['Yonas', 'Yohannes', 'Johannes'], ['Tesfay', 'Tesfaye'], ['Habtom'], ['Mehari']],
    family: [
      ['Tesfamariam', 'Tesfamaryam'],
      ['Gebremedhin', 'Ghebremedhin'],
      ['Haile', 'Hayle'],
      ['Berhane', 'Berhe'],
    ],
  },
  {
    code: 'UG',
    female: [['Nakato'], ['Achieng'], ['Grace'], ['Florence']],
    male: [['Ssemakula', 'Semakula'], ['Okello'], ['Mugisha'], ['Kato']],
    family: [['Namubiru'], ['Mukasa'], ['Ssebunya', 'Sebunya'], ['Okot'], ['Atim']],
  },
];
